/**
 * What the worker process itself uses, sent with each heartbeat: CPU since the previous sample
 * (percent of one core; task processes are children and not counted) and resident memory.
 */
import { memoryUsage } from 'node:process';

export class ProcessUsage {
  private last = { cpu: process.cpuUsage(), at: process.hrtime.bigint() };

  /** CPU percent since the previous call (the first call: since the worker started) and RSS in bytes. */
  sample(): { cpuPercent: number; rssBytes: number } {
    const cpu = process.cpuUsage();
    const at = process.hrtime.bigint();
    const usedUs = cpu.user - this.last.cpu.user + (cpu.system - this.last.cpu.system);
    const wallUs = Number(at - this.last.at) / 1000;
    this.last = { cpu, at };
    const cpuPercent = wallUs > 0 ? Math.round((usedUs / wallUs) * 1000) / 10 : 0;
    return { cpuPercent, rssBytes: memoryUsage.rss() };
  }
}
