import { describe, expect, it } from 'vitest';
import { Metadata, status } from '@grpc/grpc-js';
import { UpdraftError, grpcErrorFor, readBearerToken, tokenMatches } from '@updraft/core';
import { ERROR_CODE_METADATA_KEY, UpdraftRpcError, bearerMetadata, fromServiceError, grpcStatusForCode } from '@updraft/core/internal';

describe('status mapping', () => {
  it('follows the WorkerService contract', () => {
    expect(grpcStatusForCode('STALE_ATTEMPT')).toBe(status.FAILED_PRECONDITION);
    expect(grpcStatusForCode('TASK_NOT_FOUND')).toBe(status.NOT_FOUND);
    expect(grpcStatusForCode('DAG_NOT_FOUND')).toBe(status.NOT_FOUND);
    expect(grpcStatusForCode('RUN_NOT_FOUND')).toBe(status.NOT_FOUND);
    expect(grpcStatusForCode('INVALID_ARGUMENT')).toBe(status.INVALID_ARGUMENT);
    expect(grpcStatusForCode('DB_ERROR')).toBe(status.UNAVAILABLE);
    expect(grpcStatusForCode('CONFIG_INVALID')).toBe(status.INTERNAL);
  });

  it('round-trips the exact UpdraftError code through trailing metadata', () => {
    const answer = grpcErrorFor(new UpdraftError('DAG_NOT_FOUND', 'no dag x'));
    expect(answer.code).toBe(status.NOT_FOUND);
    const err = fromServiceError({ code: answer.code, details: answer.details, metadata: answer.metadata }, 'fetchDagFile');
    expect(err).toBeInstanceOf(UpdraftRpcError);
    expect(err.code).toBe('DAG_NOT_FOUND');
    expect(err.grpcCode).toBe(status.NOT_FOUND);
    expect(err.message).toBe('fetchDagFile: NOT_FOUND: no dag x');
  });

  it('falls back to the status when a server sends no code', () => {
    expect(fromServiceError({ code: status.FAILED_PRECONDITION, details: 'x' }, 'claimTask').code).toBe('STALE_ATTEMPT');
    expect(fromServiceError({ code: status.DEADLINE_EXCEEDED, details: 'x' }, 'claimTask').code).toBe('TIMEOUT');
    expect(fromServiceError({ code: status.UNAVAILABLE, details: 'x' }, 'claimTask').code).toBe('RPC_ERROR');
    const md = new Metadata();
    md.set(ERROR_CODE_METADATA_KEY, 'NOT_A_CODE');
    expect(fromServiceError({ code: status.NOT_FOUND, details: 'x', metadata: md }, 'm').code).toBe('TASK_NOT_FOUND');
  });

  it('does not reveal the message of an unexpected error', () => {
    const answer = grpcErrorFor(new Error('password=hunter2'));
    expect(answer.code).toBe(status.INTERNAL);
    expect(answer.details).not.toMatch(/hunter2/);
  });
});

describe('bearer token', () => {
  it('is read back from metadata and compared', () => {
    const md = bearerMetadata('abc');
    expect(readBearerToken(md)).toBe('abc');
    expect(tokenMatches('abc', readBearerToken(md))).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', undefined)).toBe(false);
    const basic = new Metadata();
    basic.set('authorization', 'Basic abc');
    expect(readBearerToken(basic)).toBeUndefined();
    expect(readBearerToken(new Metadata())).toBeUndefined();
  });
});
