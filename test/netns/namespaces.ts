/**
 * Hosts made of Linux network namespaces for end-to-end tests: a switch namespace holding a bridge,
 * and one namespace per host, each plugged into the bridge with a veth pair (`eth0` on the host
 * side), with an address in a private /24 that exists only inside these namespaces. There is no
 * default route and no link to the machine's own network: every connection between the hosts
 * stays on the bridge. Processes run inside a host through a launcher script
 * (`ip netns exec NS unshare --uts`), which also gives each host its own host name.
 *
 * Names are `updraft-<host>-<pid>-<rand>`: the pid of the test process that made them, so a later
 * run can tell namespaces of a dead run (removed by removeStaleNamespaces) from those of a run
 * still going. Everything is torn down by destroy(), and on exit or a fatal signal of the process.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { accessSync, chmodSync, constants, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface NetnsProbe {
  ok: boolean;
  /** Why namespaces cannot be made (empty when ok). */
  reason: string;
}

export interface HostSpec {
  /** Short key, part of the namespace name (e.g. `wa`). */
  key: string;
  /** Host name processes inside see (own UTS namespace), e.g. `worker-a`. */
  hostname: string;
}

export interface Host extends HostSpec {
  /** Network namespace name. */
  ns: string;
  /** IPv4 address on the bridge. */
  address: string;
  /** The host's interface on the bridge. */
  iface: string;
}

export interface Topology {
  /** `<pid>-<rand>`, the suffix of every namespace name. */
  readonly id: string;
  /** e.g. `10.213.7.0/24`. */
  readonly subnet: string;
  readonly hosts: ReadonlyMap<string, Host>;
  host(key: string): Host;
  /** Runs `ip netns exec NS ...args` and returns its stdout; throws with stderr on failure. */
  exec(key: string, args: string[]): string;
  /** Brings the host's bridge interface down (its cable pulled). */
  linkDown(key: string): void;
  /** Brings it up again. */
  linkUp(key: string): void;
  /**
   * Path of an executable script that runs `command` (if given) followed by the script's own
   * arguments inside the host: its network namespace and its host name. Written into `dir`.
   */
  launcher(key: string, dir: string, command?: string): string;
  /** Pids of every process inside the host's namespace. */
  pids(key: string): number[];
  /** Kills every process left in the namespaces and deletes them. Idempotent, synchronous. */
  destroy(): void;
}

const PREFIX = 'updraft-';
const NAME_PATTERN = /^updraft-[a-z]+-(\d+)-[0-9a-f]{4}$/;
const SWITCH_KEY = 'sw';
const IFACE = 'eth0';

/** Absolute path of a system program, looked up in PATH and the sbin directories. */
export function findProgram(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

function ip(): string {
  const path = findProgram('ip');
  if (!path) throw new Error('`ip` (iproute2) not found');
  return path;
}

function run(args: string[]): string {
  const r = spawnSync(ip(), args, { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`ip ${args.join(' ')} failed (${r.status ?? r.signal}): ${(r.stderr || r.error?.message || '').trim()}`);
  }
  return r.stdout;
}

/**
 * Whether this process can build the topology: root, iproute2, util-linux's unshare and setpriv,
 * and the kernel lets us add a namespace with a veth pair (containers often do not).
 */
export function probeNetns(): NetnsProbe {
  if (process.platform !== 'linux') return { ok: false, reason: `network namespaces need Linux (this is ${process.platform})` };
  const uid = process.getuid?.();
  if (uid !== 0) return { ok: false, reason: `network namespaces need root (running as uid ${uid})` };
  for (const program of ['ip', 'unshare', 'setpriv']) {
    if (!findProgram(program)) {
      const pkg = program === 'ip' ? 'iproute2' : 'util-linux';
      return { ok: false, reason: `\`${program}\` not found (Debian package ${pkg})` };
    }
  }
  const ns = `${PREFIX}probe-${process.pid}-${randomBytes(2).toString('hex')}`;
  try {
    run(['netns', 'add', ns]);
  } catch (err) {
    return { ok: false, reason: `cannot create a network namespace: ${(err as Error).message}` };
  }
  try {
    run(['-n', ns, 'link', 'add', 'probe0', 'type', 'veth', 'peer', 'name', 'probe1']);
    run(['-n', ns, 'link', 'add', 'probebr', 'type', 'bridge']);
    return { ok: true, reason: '' };
  } catch (err) {
    return { ok: false, reason: `cannot create veth pairs or a bridge in a namespace: ${(err as Error).message}` };
  } finally {
    spawnSync(ip(), ['netns', 'del', ns]);
  }
}

function listNamespaces(): string[] {
  const r = spawnSync(ip(), ['netns', 'list'], { encoding: 'utf8' });
  if (r.status !== 0) return [];
  // Lines look like `name` or `name (id: 3)`.
  return r.stdout.split('\n').map((l) => l.split(' ')[0]!).filter(Boolean);
}

function namespacePids(ns: string): number[] {
  const r = spawnSync(ip(), ['netns', 'pids', ns], { encoding: 'utf8' });
  if (r.status !== 0) return [];
  return r.stdout.split('\n').filter(Boolean).map(Number).filter((n) => Number.isInteger(n) && n > 0);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGKILLs what runs inside, then deletes the namespace (its interfaces go with it). */
function deleteNamespace(ns: string): void {
  for (const pid of namespacePids(ns)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  spawnSync(ip(), ['netns', 'del', ns]);
}

/** Deletes namespaces left by earlier runs whose process is gone; returns their names. */
export function removeStaleNamespaces(): string[] {
  const stale = listNamespaces().filter((ns) => {
    const match = NAME_PATTERN.exec(ns);
    return match !== null && !processAlive(Number(match[1]));
  });
  for (const ns of stale) deleteNamespace(ns);
  return stale;
}

const live = new Set<Topology>();
let handlersInstalled = false;

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const destroyAll = (): void => {
    for (const t of [...live]) t.destroy();
  };
  process.on('exit', destroyAll);
  // A forked vitest worker whose parent died loses its IPC channel.
  if (process.send) process.once('disconnect', destroyAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      destroyAll();
      // Die by the signal unless someone else handles it (the harness cleanup does the same).
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

/**
 * Builds the hosts: namespaces, the bridge in the switch namespace, a veth pair per host, loopback
 * up everywhere, addresses `<subnet>.1`, `.2`, ... in the order given. No default route.
 */
export function createTopology(specs: HostSpec[]): Topology {
  if (specs.length === 0 || specs.length > 200) throw new Error('createTopology: between 1 and 200 hosts');
  const keys = new Set(specs.map((s) => s.key));
  if (keys.size !== specs.length || keys.has(SWITCH_KEY)) throw new Error(`createTopology: host keys must be unique and not "${SWITCH_KEY}"`);
  for (const s of specs) {
    if (!/^[a-z]{1,10}$/.test(s.key)) throw new Error(`createTopology: host key "${s.key}" must be 1-10 lowercase letters`);
    if (!/^[a-z0-9-]{1,63}$/.test(s.hostname)) throw new Error(`createTopology: "${s.hostname}" is not a valid host name`);
  }
  installExitHandlers();
  const id = `${process.pid}-${randomBytes(2).toString('hex')}`;
  const octet = randomInt(1, 255);
  const subnet = `10.213.${octet}.0/24`;
  const switchNs = `${PREFIX}${SWITCH_KEY}-${id}`;
  const hosts = new Map<string, Host>(
    specs.map((s, i) => [s.key, { ...s, ns: `${PREFIX}${s.key}-${id}`, address: `10.213.${octet}.${i + 1}`, iface: IFACE }]),
  );
  const created: string[] = [];
  const launchers = new Map<string, string>();
  let destroyed = false;

  const host = (key: string): Host => {
    const h = hosts.get(key);
    if (!h) throw new Error(`no host "${key}" in this topology (hosts: ${[...hosts.keys()].join(', ')})`);
    return h;
  };

  const topology: Topology = {
    id,
    subnet,
    hosts,
    host,
    exec(key, args) {
      return run(['netns', 'exec', host(key).ns, ...args]);
    },
    linkDown(key) {
      const h = host(key);
      run(['-n', h.ns, 'link', 'set', h.iface, 'down']);
    },
    linkUp(key) {
      const h = host(key);
      run(['-n', h.ns, 'link', 'set', h.iface, 'up']);
    },
    launcher(key, dir, command) {
      const h = host(key);
      const memo = `${h.key}\0${dir}\0${command ?? ''}`;
      const known = launchers.get(memo);
      // Written once: rewriting a script another process is starting would race with it.
      if (known !== undefined) return known;
      const unshare = findProgram('unshare');
      if (!unshare) throw new Error('`unshare` (util-linux) not found');
      const path = join(dir, `in-${h.key}${command ? `-${launchers.size}` : ''}.sh`);
      const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
      writeFileSync(
        path,
        [
          '#!/bin/sh',
          `# Runs ${command ? `${command} with ` : ''}the arguments on host ${h.hostname}: namespace ${h.ns}, own host name.`,
          `exec ${q(ip())} netns exec ${q(h.ns)} ${q(unshare)} --uts -- /bin/sh -c 'hostname "$0" && exec "$@"' ${q(h.hostname)} ${command ? `${q(command)} ` : ''}"$@"`,
          '',
        ].join('\n'),
      );
      chmodSync(path, 0o755);
      launchers.set(memo, path);
      return path;
    },
    pids(key) {
      return namespacePids(host(key).ns);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      live.delete(topology);
      for (const ns of [...created].reverse()) deleteNamespace(ns);
    },
  };
  live.add(topology);

  try {
    for (const ns of [switchNs, ...[...hosts.values()].map((h) => h.ns)]) {
      run(['netns', 'add', ns]);
      created.push(ns);
      run(['-n', ns, 'link', 'set', 'lo', 'up']);
    }
    run(['-n', switchNs, 'link', 'add', 'br0', 'type', 'bridge']);
    run(['-n', switchNs, 'link', 'set', 'br0', 'up']);
    for (const h of hosts.values()) {
      // Created inside the switch namespace with the peer straight in the host's namespace: no
      // interface ever appears in the machine's own namespace.
      const port = `p-${h.key}`;
      run(['-n', switchNs, 'link', 'add', port, 'type', 'veth', 'peer', 'name', h.iface, 'netns', h.ns]);
      run(['-n', switchNs, 'link', 'set', port, 'master', 'br0']);
      run(['-n', switchNs, 'link', 'set', port, 'up']);
      run(['-n', h.ns, 'addr', 'add', `${h.address}/24`, 'dev', h.iface]);
      run(['-n', h.ns, 'link', 'set', h.iface, 'up']);
    }
  } catch (err) {
    topology.destroy();
    throw err;
  }
  return topology;
}

/** Command lines of processes (the pid namespace is shared, so /proc shows them from here). */
export function commandLines(pids: number[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const pid of pids) {
    try {
      out.set(pid, readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim());
    } catch {
      // ended meanwhile
    }
  }
  return out;
}
