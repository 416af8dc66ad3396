/** Connections in Airflow's URI and JSON forms, and what counts as sensitive. */
import { describe, expect, it } from 'vitest';
import {
  connectionJson,
  connectionUri,
  extraDejson,
  isSensitiveName,
  parseConnection,
  parseConnectionJson,
  parseConnectionUri,
  redactSensitiveFields,
  sensitiveFieldValues,
} from '@updraft/core';

describe('connection URIs', () => {
  it('reads every field of the issue example', () => {
    expect(parseConnectionUri('postgres://user:pass@host:5432/db?sslmode=require')).toEqual({
      connType: 'postgres', description: null, host: 'host', schema: 'db', login: 'user', password: 'pass', port: 5432,
      extra: '{"sslmode":"require"}',
    });
  });

  it('follows Airflow: postgresql is postgres, - is _, %-escapes, __extra__, a protocol in the host', () => {
    const c = parseConnectionUri('postgresql://us%40er:p%40ss%2Fw%3Ard@db.example.com/my%20db');
    expect(c).toMatchObject({ connType: 'postgres', login: 'us@er', password: 'p@ss/w:rd', host: 'db.example.com', schema: 'my db', port: null, extra: null });
    expect(parseConnectionUri('google-cloud-platform://').connType).toBe('google_cloud_platform');
    const extra = parseConnectionUri(`http://h/?__extra__=${encodeURIComponent('{"a":{"b":1}}')}`);
    expect(extraDejson(extra.extra)).toEqual({ a: { b: 1 } });
    expect(parseConnectionUri('http://https://example.com:443/path').host).toBe('https://example.com');
    expect(parseConnectionUri('slack://:xoxb-123@').password).toBe('xoxb-123');
  });

  it('round-trips through connectionUri', () => {
    for (const uri of [
      'postgres://user:pass@host:5432/db?sslmode=require',
      'mysql://a%3Ab:c%40d@h:3306/s',
      'http://https://example.com:443/path',
    ]) {
      const c = parseConnectionUri(uri);
      expect(parseConnectionUri(connectionUri(c))).toEqual(c);
    }
    const nested = { connType: 'x', description: null, host: 'h', schema: null, login: null, password: null, port: null, extra: '{"k":{"n":1}}' };
    expect(parseConnectionUri(connectionUri(nested))).toEqual(nested);
  });

  it('refuses what is not a connection URI, naming the part', () => {
    expect(() => parseConnectionUri('no scheme here')).toThrow(/TYPE:\/\//);
    expect(() => parseConnectionUri('pg://h:99999')).toThrow(/port must be an integer 0-65535/);
    expect(() => parseConnectionUri('pg://u:%zz@h')).toThrow(/password has a malformed %-escape/);
    expect(() => parseConnectionUri('a://b://c://d')).toThrow(/more than two/);
  });
});


describe('connection JSON', () => {
  it('reads Airflow fields with extra as an object or text', () => {
    const c = parseConnectionJson('{"conn_type":"slack","password":"xoxb","port":"443","extra":{"channel":"#ops"}}');
    expect(c).toMatchObject({ connType: 'slack', password: 'xoxb', port: 443, extra: '{"channel":"#ops"}', host: null });
    expect(parseConnection(' {"conn_type":"a","extra":"raw"}').extra).toBe('raw');
    expect(parseConnection('a://h').host).toBe('h');
    expect(connectionJson(c)).toMatchObject({ conn_type: 'slack', extra: { channel: '#ops' }, port: 443 });
  });

  it('names the field at fault', () => {
    expect(() => parseConnectionJson('{"host":"h"}')).toThrow(/conn_type is required/);
    expect(() => parseConnectionJson('{"conn_type":"a","hots":"h"}')).toThrow(/unknown field 'hots'/);
    expect(() => parseConnectionJson('{"conn_type":"a","login":5}')).toThrow(/login must be a string/);
    expect(() => parseConnectionJson('{"conn_type":"a","port":-1}')).toThrow(/port/);
    expect(() => parseConnectionJson('{nope')).toThrow(/not valid JSON/);
  });
});

describe('sensitive names', () => {
  const words = ['password', 'secret', 'token', 'api_key'];
  it('matches words inside names, case-insensitively', () => {
    expect(isSensitiveName('SLACK_API_KEY', words)).toBe(true);
    expect(isSensitiveName('github_token', words)).toBe(true);
    expect(isSensitiveName('region', words)).toBe(false);
  });

  it('redacts sensitive fields at any depth and lists their values', () => {
    const extra = { region: 'eu', auth: { client_secret: 'abc123', id: 'x' }, tokens: ['t1', 't2'] };
    expect(redactSensitiveFields(extra, words)).toEqual({ region: 'eu', auth: { client_secret: '***', id: 'x' }, tokens: '***' });
    expect(sensitiveFieldValues(extra, words).sort()).toEqual(['abc123', 't1', 't2']);
  });
});
