/**
 * docker-compose.yaml, .env.example, deploy/Dockerfile and the systemd units, checked without a
 * Docker engine: `docker-compose config -q` validates the compose file (Debian's docker-compose;
 * `.ci/run` installs it), every UPDRAFT__ variable is a configuration key, the services depend on
 * what they need through health checks, the image runs as a non-root user, and the commands the
 * Dockerfile, the compose file, the manifests and the units run are `updraft` commands that exist
 * and that the README documents.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_OPTIONS, envVarName } from '@updraft/core/internal';
import { REPO_ROOT, runCli } from '../harness/index.js';

const read = (...p: string[]): string => readFileSync(join(REPO_ROOT, ...p), 'utf8');
const compose = parse(read('docker-compose.yaml'), { merge: true }) as { services: Record<string, Record<string, unknown>> };
const services = compose.services;
const dockerCompose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
if (!dockerCompose) process.stdout.write('test/unit/deploy-compose.test.ts: docker-compose config skipped: no docker-compose binary (apt-get install docker-compose)\n');

/** Commands not built yet that the deployment files already use (they land with their own work). */
const PENDING_COMMANDS = new Set(['users create']);

describe('docker-compose.yaml', () => {
  it('passes docker-compose config -q with the values of .env.example', { skip: !dockerCompose }, () => {
    const r = spawnSync('docker-compose', ['-f', 'docker-compose.yaml', '--env-file', '.env.example', 'config', '-q'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('uses only known configuration keys as UPDRAFT__ variables (compose file and .env.example)', () => {
    const known = new Set(CONFIG_OPTIONS.map((o) => envVarName(o)));
    for (const file of ['docker-compose.yaml', '.env.example']) {
      const names = read(file).match(/UPDRAFT__[A-Z0-9_]+/g) ?? [];
      expect(names.length, file).toBeGreaterThan(0);
      expect(names.filter((n) => !known.has(n)), file).toEqual([]);
    }
    // .env.example names the container user, the admin password, the worker token and the Fernet key.
    const env = read('.env.example');
    for (const v of ['UPDRAFT_UID=', 'UPDRAFT_GID=', 'UPDRAFT_ADMIN_PASSWORD=', 'UPDRAFT__SECURITY__WORKER_TOKEN=', 'UPDRAFT__SECURITY__FERNET_KEY=']) {
      expect(env).toContain(v);
    }
  });

  it('has every service, two schedulers, a scalable worker, health checks and start conditions', () => {
    expect(Object.keys(services).sort()).toEqual(['init', 'mail', 'monitor', 'nats', 'postgres', 's3', 'scheduler-1', 'scheduler-2', 'webserver', 'worker']);
    for (const name of ['postgres', 'nats', 'scheduler-1', 'scheduler-2', 'webserver', 'monitor']) expect(services[name]!.healthcheck, name).toBeDefined();
    expect(services.nats!.command).toEqual(expect.arrayContaining(['-js', '-sd']));
    expect(services.init!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    for (const s of ['scheduler-1', 'scheduler-2']) {
      expect(services[s]!.depends_on).toEqual({ init: { condition: 'service_completed_successfully' }, nats: { condition: 'service_healthy' } });
    }
    const worker = services.worker!;
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
    expect((worker.environment as Record<string, string>).UPDRAFT__WORKER__SCHEDULER_ADDRESS).toBe('scheduler-1:50051,scheduler-2:50051');
    expect(JSON.stringify(worker.environment)).not.toContain('DATABASE');
    for (const [name, s] of Object.entries(services)) {
      if (s.image !== 'updraft:local') continue;
      expect(s.user, name).toBe('${UPDRAFT_UID:-50000}:${UPDRAFT_GID:-0}');
      expect(s.volumes, name).toEqual(['./dags:/opt/updraft/dags', './logs:/var/log/updraft']);
    }
    expect(services.s3!.profiles).toEqual(['s3']);
    expect(services.mail!.profiles).toEqual(['mail']);
  });
});

describe('deploy/Dockerfile', () => {
  const dockerfile = read('deploy', 'Dockerfile');

  it('builds in one stage and runs production dependencies and dist/ only, as a non-root user', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^FROM .* AS build$/m);
    expect(dockerfile).toContain('npm prune --omit=dev');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).not.toMatch(/COPY (?!--from=build)[^\n]*packages/);
  });

  it('documents the commands the README shows', () => {
    const readme = read('README.md');
    const documented = dockerfile.split('\n').filter((l) => /^#\s+docker (build|run) /.test(l)).map((l) => l.replace(/^#\s+/, '').replace(/\s+\(.*\)$/, '').trim());
    expect(documented.length).toBeGreaterThanOrEqual(3);
    for (const command of documented) expect(readme, command).toContain(command);
  });
});

describe('the updraft commands the deployment files run', () => {
  const commands = new Set<string>();
  const add = (args: string[]): void => {
    const words = args.filter((a) => !a.startsWith('-'));
    commands.add(['db', 'users', 'dags', 'workers'].includes(words[0]!) ? words.slice(0, 2).join(' ') : words[0]!);
  };
  for (const s of Object.values(services)) if (s.image === 'updraft:local' && Array.isArray(s.command) && !s.entrypoint) add(s.command as string[]);
  for (const m of String(services.init!.command).matchAll(/updraft ([a-z]+ [a-z]+)/g)) add(m[1]!.split(' '));
  for (const f of readdirSync(join(REPO_ROOT, 'deploy', 'systemd')).filter((f) => f.endsWith('.service'))) {
    const exec = /^ExecStart=.*updraft\.mjs (.*)$/m.exec(read('deploy', 'systemd', f));
    add(exec![1]!.split(' '));
  }
  for (const f of readdirSync(join(REPO_ROOT, 'deploy', 'kubernetes', 'base')).filter((f) => f.endsWith('.yaml'))) {
    for (const m of read('deploy', 'kubernetes', 'base', f).matchAll(/args: \[(.*)\]/g)) add(JSON.parse(`[${m[1]}]`) as string[]);
  }

  it('exist (--help answers), apart from the ones still being built', async () => {
    expect([...commands].sort()).toEqual(['db migrate', 'monitor', 'scheduler', 'users create', 'webserver', 'worker']);
    const missing: string[] = [];
    for (const c of commands) {
      const r = await runCli([...c.split(' '), '--help']);
      if (r.code !== 0) missing.push(c);
    }
    if (missing.length > 0) process.stdout.write(`deployment commands not built yet: ${missing.join(', ')}\n`);
    expect(missing.filter((c) => !PENDING_COMMANDS.has(c))).toEqual([]);
  }, 120_000);
});
