import { prepared } from './prepared';
import { openReadModelDb } from './read-model-db';

describe('prepared', () => {
  it('compiles a statement once per database and row mode', () => {
    const db = openReadModelDb(':memory:');
    const sql = 'SELECT 1 AS one';
    const first = prepared(db, sql);
    expect(prepared(db, sql)).toBe(first);
    expect(first.get()).toEqual({ one: 1 });
    expect(prepared(db, sql, 'raw').get()).toEqual([1]);
    expect(prepared(db, sql, 'pluck').get()).toBe(1);
    // The other modes did not change the first statement.
    expect(prepared(db, sql).get()).toEqual({ one: 1 });
    const other = openReadModelDb(':memory:');
    expect(prepared(other, sql)).not.toBe(first);
    db.close();
    other.close();
  });

  it('keeps a statement working across a schema change', () => {
    const db = openReadModelDb(':memory:');
    db.exec('CREATE TABLE t (a INTEGER)');
    db.exec('INSERT INTO t VALUES (1)');
    const count = () => prepared(db, 'SELECT count(*) FROM t', 'pluck').get();
    expect(count()).toBe(1);
    db.exec('DROP TABLE t; CREATE TABLE t (a INTEGER, b TEXT)');
    expect(count()).toBe(0);
    db.close();
  });
});
