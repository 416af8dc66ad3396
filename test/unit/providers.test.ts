/**
 * @updraft/providers without servers: statement splitting, HTTP connection URLs and headers,
 * template values of a running task, and the definition-time checks of the task types (what the
 * DAG processor reports as an import error). The task types against real servers are in
 * test/e2e/providers.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { dag, resetRegistry, serializeDag, type TaskConnection, type TaskContext } from '@updraft/sdk';
import { connectionHeaders, email, http, httpBaseUrl, renderForTask, sensors, slack, slackTarget, splitSql, sql, ssh } from '@updraft/providers';

describe('splitSql', () => {
  it('cuts on ; outside strings, identifiers and comments, dropping empty statements', () => {
    expect(splitSql("select 'a;b'; select \"x;y\" from t; -- c;\n; /* d; */ ;select 3;", 'postgres')).toEqual([
      "select 'a;b'", 'select "x;y" from t', 'select 3',
    ]);
  });

  it('PostgreSQL: dollar-quoted bodies (tagged too), nested block comments, E strings with \\\'', () => {
    const fn = 'create function f() returns int as $body$ begin perform 1; return 2; end $body$ language plpgsql';
    expect(splitSql(`${fn}; select $$a;b$$; select E'it\\'s; x'; /* a /* b; */ c; */ select $1`, 'postgres')).toEqual([
      fn, 'select $$a;b$$', "select E'it\\'s; x'", '/* a /* b; */ c; */ select $1',
    ]);
    // In standard strings a backslash is a plain character.
    expect(splitSql("select 'a\\'; select 2", 'postgres')).toEqual(["select 'a\\'", 'select 2']);
  });

  it("MySQL: # comments, backquoted identifiers, backslash escapes and '' in strings", () => {
    expect(splitSql("select `a;b` from t; # x;\nselect 'it\\'s; ok', 'a'';b'; select \"c;d\"", 'mysql')).toEqual([
      'select `a;b` from t', "# x;\nselect 'it\\'s; ok', 'a'';b'", 'select "c;d"',
    ]);
    // $ is an identifier character in MySQL, not a quote.
    expect(splitSql('select 1 as a$; select 2', 'mysql')).toEqual(['select 1 as a$', 'select 2']);
  });

  it('an unterminated quote keeps the rest as one statement (the server reports it)', () => {
    expect(splitSql("select 1; select 'oops; select 2", 'postgres')).toEqual(['select 1', "select 'oops; select 2"]);
  });
});

const conn = (o: Partial<TaskConnection>): TaskConnection => ({
  connId: 'api', connType: 'http', description: null, host: null, schema: null, login: null, password: null, port: null,
  extra: null, extraDejson: {}, uri: '', ...o,
});

describe('HTTP connections', () => {
  it('the base URL follows Airflow: host with scheme, else schema as scheme; port; other schema as path prefix', () => {
    expect(httpBaseUrl(conn({ host: 'https://api.example.com/v2/' }))).toBe('https://api.example.com/v2');
    expect(httpBaseUrl(conn({ host: 'api.example.com', schema: 'https', port: 8443 }))).toBe('https://api.example.com:8443');
    expect(httpBaseUrl(conn({ host: 'api.example.com' }))).toBe('http://api.example.com');
    expect(httpBaseUrl(conn({ host: 'api.example.com', connType: 'https' }))).toBe('https://api.example.com');
    expect(httpBaseUrl(conn({ host: 'http://localhost:9000', port: 1234 }))).toBe('http://localhost:9000');
    expect(httpBaseUrl(conn({ host: 'api.example.com', schema: 'v2', port: 81 }))).toBe('http://api.example.com:81/v2');
    expect(() => httpBaseUrl(conn({ host: null }))).toThrow(/connection 'api' has no host/);
  });

  it('headers come from the extra (or extra.headers) and basic auth from login and password', () => {
    expect(connectionHeaders(conn({ extraDejson: { 'X-Team': 'data', retries: 3, nested: { a: 1 } } }))).toEqual({ 'X-Team': 'data', retries: '3' });
    expect(connectionHeaders(conn({ extraDejson: { headers: { Accept: 'text/csv' }, timeout: 5 } }))).toEqual({ Accept: 'text/csv' });
    expect(connectionHeaders(conn({ login: 'u', password: 'p' })).Authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });
});

describe('templates of a running task', () => {
  const ctx = {
    dagId: 'd', taskId: 't', runId: 'r1', ds: '2024-03-05', dsNodash: '20240305', ts: '2024-03-05T00:00:00.000Z', tsNodash: '20240305T000000',
    logicalDate: new Date('2024-03-05T00:00:00Z'), dataIntervalStart: new Date('2024-03-05T00:00:00Z'), dataIntervalEnd: new Date('2024-03-06T00:00:00Z'),
    prevDataIntervalStartSuccess: null, prevDataIntervalEndSuccess: null, prevStartDateSuccess: null,
    mapIndex: -1, params: { table: 'orders' }, conf: {}, tryNumber: 2,
  } as unknown as TaskContext;

  it('render the values bash templates have', async () => {
    expect(await renderForTask(ctx, { sql: "select * from {{ params.table }} where day = '{{ ds }}' -- {{ ti.try_number }} {{ dag_run.run_id }} {{ data_interval_end }}" }))
      .toEqual({ sql: "select * from orders where day = '2024-03-05' -- 2 r1 2024-03-06T00:00:00.000Z" });
  });

  it('with the macros and filters of bash templates', async () => {
    const r = await renderForTask(ctx, { sql: "{{ macros.ds_add(ds, -1) }} {{ data_interval_end | date('YYYYMMDD') }} {{ params.table | upper }} {{ data_interval_start | tz('Asia/Seoul') }}" });
    expect(r.sql).toBe('2024-03-04 20240306 ORDERS 2024-03-05T09:00:00+09:00');
  });

  it('reads what conn.*, var.* and ti.xcom_pull name through the context, each once', async () => {
    const asked: string[] = [];
    const withReads = {
      ...ctx,
      connection: async (id: string) => (asked.push(`conn ${id}`), conn({ connId: id, host: 'db.internal', extraDejson: { region: 'eu' } })),
      variable: async (key: string, o?: { json?: boolean }) => (asked.push(`var ${key}`), o?.json ? { limit: 7 } : 'analytics'),
      xcom: { pull: async (task: string, o?: { key?: string }) => (asked.push(`xcom ${task} ${o?.key ?? ''}`), o?.key === 'ids' ? [1, 2] : { n: 3 }) },
    } as unknown as TaskContext;
    const r = await renderForTask(withReads, {
      sql: "{{ conn.wh.host }} {{ conn.wh.extra_dejson.region }} {{ var.value.schema }}.t limit {{ var.json.cfg.limit }}",
      endpoint: "/{{ ti.xcom_pull('extract').n }}/{{ ti.xcom_pull('extract', key='ids') }}/{{ ti.xcom_pull(task_ids='extract').n }}",
    });
    expect(r).toEqual({ sql: 'db.internal eu analytics.t limit 7', endpoint: '/3/[1,2]/3' });
    expect(asked).toEqual(['conn wh', 'var schema', 'var cfg', 'xcom extract ', 'xcom extract ids']);
  });

  it('an unknown name is an error naming the task and the field', async () => {
    await expect(renderForTask(ctx, { sql: '{{ nope }}' })).rejects.toThrow(/task 't' sql: unknown template value '\{\{ nope \}\}'/);
  });
});

describe('task types at definition time', () => {
  it('are function tasks with the settings given beside their options', () => {
    resetRegistry();
    const d = dag({ dagId: 'p' }, (d) => {
      sql(d, 'q', { connId: 'db', sql: 'select 1', retries: 2, pool: 'etl' });
      d.taskGroup('g', (g) => {
        http(g, 'h', { connId: 'api', endpoint: '/x' });
      });
    });
    const s = serializeDag(d, { fileloc: 'p.ts', fileHash: 'h', defaultTimezone: 'UTC' });
    expect(s.tasks.map((t) => [t.taskId, t.kind, t.retries, t.pool])).toEqual([['q', 'function', 2, 'etl'], ['g.h', 'function', 0, 'default_pool']]);
  });

  it('refuse bad options with a DAG definition error naming the task and the option', () => {
    resetRegistry();
    dag({ dagId: 'bad' }, (d) => {
      expect(() => sql(d, 'a', { connId: '', sql: 'select 1' })).toThrow(/sql task 'a': connId must be a non-empty string/);
      expect(() => sql(d, 'b', { connId: 'db', sql: 'select 1', returnRows: 'many' as 'all' })).toThrow(/returnRows must be one of none, first, all/);
      expect(() => sql(d, 'c', { connId: 'db', sql: 'select {{ ds ' + '| }}' })).toThrow(/cannot read/);
      expect(() => sql(d, 'd', { connId: 'db', sql: 'select 1', retrys: 1 } as never)).toThrow(/retrys/);
      expect(() => http(d, 'e', { connId: 'api', endpoint: '/x', method: 'FETCH' as 'GET' })).toThrow(/http task 'e': method must be one of/);
      expect(() => http(d, 'f', { connId: 'api', endpoint: '/x', headers: { A: 1 as unknown as string } })).toThrow(/header A must be a string/);
    });
  });

  it('email: refuses missing recipients, bad addresses, non-string bodies and templates that do not parse', () => {
    resetRegistry();
    const ok = { connId: 'smtp', to: 'ops@example.com', subject: 's', html: '<p>x</p>' };
    dag({ dagId: 'bad_mail' }, (d) => {
      expect(() => email(d, 'a', { ...ok, connId: ' ' })).toThrow(/email task 'a': connId must be a non-empty string/);
      expect(() => email(d, 'b', { ...ok, to: [] })).toThrow(/email task 'b': to must name at least one address/);
      expect(() => email(d, 'c', { ...ok, to: undefined as never })).toThrow(/email task 'c': to must be an address or an array of addresses/);
      expect(() => email(d, 'd', { ...ok, cc: ['x@example.com', ''] })).toThrow(/email task 'd': cc\[1\] must be a non-empty string/);
      expect(() => email(d, 'e', { ...ok, html: undefined as never })).toThrow(/email task 'e': html must be a string/);
      expect(() => email(d, 'f', { ...ok, subject: 'day {{ ds ' + '| }}' })).toThrow(/email task 'f' subject/);
      expect(() => email(d, 'g', { ...ok, timeout: -1 })).toThrow(/email task 'g': timeout must be a positive number of seconds/);
      expect(() => email(d, 'h', { ...ok, reply: 'x' } as never)).toThrow(/reply/);
      expect(email(d, 'fine', { ...ok, to: ['a@example.com', '{{ params.who }}'], retries: 2 }).taskId).toBe('fine');
    });
  });

  it('slack: refuses a missing text, bad blocks and channel, bad bounds and templates that do not parse', () => {
    resetRegistry();
    dag({ dagId: 'bad_slack' }, (d) => {
      expect(() => slack(d, 'a', { connId: '', text: 'x' })).toThrow(/slack task 'a': connId must be a non-empty string/);
      expect(() => slack(d, 'b', { connId: 'hook', text: ' ' })).toThrow(/slack task 'b': text must be a non-empty string/);
      expect(() => slack(d, 'c', { connId: 'hook', text: 'x', channel: 7 as never })).toThrow(/slack task 'c': channel must be a non-empty string/);
      expect(() => slack(d, 'd', { connId: 'hook', text: 'x', blocks: 'section' as never })).toThrow(/slack task 'd': blocks must be an array of objects/);
      expect(() => slack(d, 'e', { connId: 'hook', text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '{{ ds ' + '| }}' } }] })).toThrow(/slack task 'e' blocks/);
      expect(() => slack(d, 'f', { connId: 'hook', text: 'x', maxRetryAfter: -1 })).toThrow(/slack task 'f': maxRetryAfter must be a non-negative number of seconds/);
      expect(() => slack(d, 'g', { connId: 'hook', text: 'x', timeout: 0 })).toThrow(/slack task 'g': timeout must be a positive number of seconds/);
      expect(slack(d, 'fine', { connId: 'hook', text: 'Done {{ ds }}', retries: 2 }).taskId).toBe('fine');
    });
  });
});

describe('ssh at definition time', () => {
  it('refuses a missing command, bad env names and values, a bad timeout', () => {
    resetRegistry();
    dag({ dagId: 'bad_ssh' }, (d) => {
      expect(() => ssh(d, 'a', { connId: '', command: 'ls' })).toThrow(/ssh task 'a': connId must be a non-empty string/);
      expect(() => ssh(d, 'b', { connId: 'h', command: ' ' })).toThrow(/ssh task 'b': command must be a non-empty string/);
      expect(() => ssh(d, 'c', { connId: 'h', command: 'ls', env: { 'A-B': 'x' } })).toThrow(/ssh task 'c': env name "A-B" is not a shell variable name/);
      expect(() => ssh(d, 'd', { connId: 'h', command: 'ls', env: { A: 1 as never } })).toThrow(/ssh task 'd': env A must be a string/);
      expect(() => ssh(d, 'e', { connId: 'h', command: 'ls', timeout: 0 })).toThrow(/ssh task 'e': timeout must be a positive number of seconds/);
      expect(() => ssh(d, 'f', { connId: 'h', command: 'ls {{ ds ' + '| }}' })).toThrow(/ssh task 'f' command/);
      expect(ssh(d, 'fine', { connId: 'h', command: 'ls {{ ds }}', env: { DAY: '{{ ds }}' } }).taskId).toBe('fine');
    });
  });
});

describe('slackTarget', () => {
  it('a webhook URL from the host and the password (the path), or a whole URL in the password; the Web API with the token', () => {
    expect(slackTarget(conn({ connType: 'slackwebhook', host: null, password: 'T0/B0/x' }))).toEqual({ kind: 'webhook', url: 'https://hooks.slack.com/services/T0/B0/x' });
    expect(slackTarget(conn({ connType: 'slackwebhook', host: 'http://127.0.0.1:9/services', password: 'T0/B0/x' }))).toEqual({ kind: 'webhook', url: 'http://127.0.0.1:9/services/T0/B0/x' });
    expect(slackTarget(conn({ connType: 'http', host: 'h.example', password: 'https://hooks.example/T/B/y' }))).toEqual({ kind: 'webhook', url: 'https://hooks.example/T/B/y' });
    expect(slackTarget(conn({ connType: 'slack', host: null, password: 'xoxb-1' }))).toEqual({ kind: 'api', url: 'https://slack.com/api/chat.postMessage', token: 'xoxb-1' });
    expect(() => slackTarget(conn({ connType: 'slack', password: null }))).toThrow(/Slack connection 'api' has no token/);
    expect(() => slackTarget(conn({ connType: 'postgres' }))).toThrow(/connection 'api' has conn_type 'postgres'; expected one of: slackwebhook/);
  });
});

describe('sensors.sql at definition time', () => {
  it('is added to the SDK\'s ready-made sensors', () => {
    expect(Object.keys(sensors).sort()).toEqual(['dateTime', 'externalTask', 'fileExists', 'http', 'sql', 'timeDelta']);
    expect(typeof sensors.sql('db', 'select 1')).toBe('function');
  });

  it('refuses bad arguments naming the connection and what is wrong', () => {
    expect(() => sensors.sql('', 'select 1')).toThrow(/sensors\.sql\(""\): connId must be a non-empty string/);
    expect(() => sensors.sql('db', ' ')).toThrow(/sensors\.sql\("db"\): the query must be a non-empty string/);
    expect(() => sensors.sql('db', 'select {{ ds ' + '| }}')).toThrow(/cannot read/);
    expect(() => sensors.sql('db', 'select 1', { success: true as never })).toThrow(/success must be a function of the first cell/);
    expect(() => sensors.sql('db', 'select 1', { failOnEmpty: 'yes' as never })).toThrow(/failOnEmpty must be true or false/);
    expect(() => sensors.sql('db', 'select 1', { parameters: 3 as never })).toThrow(/parameters must be an array, an object or a function/);
  });
});
