import { TableForeignKey } from 'typeorm';
import type { TableColumnOptions } from 'typeorm/schema-builder/options/TableColumnOptions';

// Column shorthands for migrations. Migrations depend on these, so their output must never
// change: add new helpers instead of editing these.

export const id: TableColumnOptions = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
export const ref = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  isNullable: nullable,
});
/** Epoch milliseconds (UTC). */
export const ms = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'bigint',
  isNullable: nullable,
});
export const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
export const text = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'text',
  isNullable: nullable,
});
export const int = (name: string): TableColumnOptions => ({ name, type: 'integer', default: 0 });
export const count = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'integer',
  isNullable: nullable,
});
export const bool = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'boolean',
  isNullable: nullable,
});
export const real = (name: string, nullable = true): TableColumnOptions => ({
  name,
  type: 'double precision',
  isNullable: nullable,
});
export const cascade = (column: string, table: string): TableForeignKey =>
  new TableForeignKey({
    name: `fk_${column.replace(/_id$/, '')}_${table}`,
    columnNames: [column],
    referencedTableName: table,
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });
