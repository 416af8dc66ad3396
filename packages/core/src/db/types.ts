import type pg from 'pg';

/** Anything that can run a query: a pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/** True for a pool (each statement its own transaction), false for a client (maybe inside a transaction). */
export const isPool = (db: Queryable): db is pg.Pool => 'idleCount' in db;
