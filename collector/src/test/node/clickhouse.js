// Talks to tskotel's ClickHouse HTTP endpoint with the official Node.js client (@clickhouse/client) as
// it would to a server: creates a table, inserts JSONEachRow, queries with bound parameters in several
// formats (with and without gzip), and checks that a wrong password and a write by the read-only user
// fail. Prints one JSON report on stdout; ClickHouseHttpNodeClientTest checks it.
'use strict';
const { createClient } = require('@clickhouse/client');

async function main() {
  const [url, database, readerPassword, writerPassword] = process.argv.slice(2);
  const report = {};
  const writer = createClient({ url, username: 'writer', password: writerPassword, database,
    compression: { request: true, response: true } });
  const reader = createClient({ url, username: 'reader', password: readerPassword, database,
    compression: { response: true } });
  const plain = createClient({ url, username: 'reader', password: readerPassword, database,
    compression: { response: false } });
  try {
    report.ping = (await reader.ping()).success;
    await writer.command({ query: 'CREATE TABLE node_items (id UInt32, name String) ENGINE = MergeTree ORDER BY id' });
    await writer.insert({ table: 'node_items', format: 'JSONEachRow',
      values: [{ id: 1, name: 'one' }, { id: 2, name: "it's two" }, { id: 3, name: 'three' }] });
    const rs = await reader.query({ query: 'SELECT id, name FROM node_items WHERE id >= {min:UInt32} ORDER BY id',
      query_params: { min: 2 }, format: 'JSONEachRow' });
    report.rows = await rs.json();
    const compact = await plain.query({ query: 'SELECT count() AS c, {s:String} AS s FROM node_items',
      query_params: { s: "x'; DROP TABLE node_items; --" }, format: 'JSONCompact' });
    report.compact = (await compact.json()).data;
    const csv = await reader.query({ query: 'SELECT name FROM node_items ORDER BY id', format: 'CSV' });
    report.csv = await csv.text();
    try {
      await reader.command({ query: 'DROP TABLE node_items' });
      report.readerDrop = 'allowed';
    } catch (e) {
      report.readerDrop = e.code;
    }
    const wrong = createClient({ url, username: 'reader', password: 'wrong', database });
    try {
      await wrong.query({ query: 'SELECT 1', format: 'JSONEachRow' });
      report.wrongPassword = 'allowed';
    } catch (e) {
      report.wrongPassword = e.code;
    }
    await wrong.close();
  } catch (e) {
    report.failure = String(e && e.stack || e);
  } finally {
    await writer.close();
    await reader.close();
    await plain.close();
  }
  process.stdout.write(JSON.stringify(report));
}

main();
