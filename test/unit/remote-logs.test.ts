import { describe, expect, it } from 'vitest';
import { parseS3Url, s3LogKey } from '@updraft/core';

describe('logging.remote_base_log_folder', () => {
  it('parses s3://bucket/prefix and builds the documented object key', () => {
    expect(parseS3Url('s3://updraft-logs/prod/tasks/')).toEqual({ bucket: 'updraft-logs', prefix: 'prod/tasks' });
    expect(parseS3Url('s3://updraft-logs')).toEqual({ bucket: 'updraft-logs', prefix: '' });
    const rel = 'dag_id=etl/run_id=manual__2026-01-01T00:00:00+00:00/task_id=load/attempt=2.log';
    expect(s3LogKey({ bucket: 'b', prefix: 'prod/tasks' }, rel)).toBe(`prod/tasks/${rel}`);
    expect(s3LogKey({ bucket: 'b', prefix: '' }, rel)).toBe(rel);
  });

  it('refuses anything else, naming the setting', () => {
    expect(() => parseS3Url('/var/log/updraft')).toThrow(/logging\.remote_base_log_folder: expected s3:\/\/bucket\/prefix/);
    expect(() => parseS3Url('gs://bucket/x')).toThrow(/expected s3:\/\/bucket\/prefix/);
    expect(() => parseS3Url('s3://Bad_Bucket/x')).toThrow(/"Bad_Bucket" is not a valid S3 bucket name/);
  });
});
