import { bsonTag } from '../../bson/types.js';

/**
 * Formats a value the way mongod's `BSONObj::toString()` does. Those strings appear in error
 * messages that applications and mongoose parse (the E11000 `dup key: { email: "a@b.c" }`
 * part, index-conflict messages), so the punctuation must match mongod's, not JSON's:
 * unquoted field names, double-quoted strings, `ObjectId('…')`, `new Date(ms)`, `{ a: 1 }`.
 */
export function formatShell(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return formatNumber(v);
    case 'bigint':
    case 'boolean':
      return String(v);
    case 'object':
      return formatObject(v as object);
    default:
      return String(v);
  }
}

/** mongod prints doubles without a trailing `.0` only when they came in as integers (int32). */
function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan.0';
  if (!Number.isFinite(n)) return n > 0 ? 'inf.0' : '-inf.0';
  return String(n);
}

function formatObject(v: object): string {
  if (Array.isArray(v)) return v.length ? `[ ${v.map(formatShell).join(', ')} ]` : '[]';
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v instanceof RegExp) return `/${v.source}/${v.flags}`;
  if (ArrayBuffer.isView(v)) return `BinData(0, ${hex(new Uint8Array(v.buffer, v.byteOffset, v.byteLength))})`;
  const tagged = formatTagged(v);
  if (tagged !== undefined) return tagged;
  const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${formatShell(x)}`);
  return entries.length ? `{ ${entries.join(', ')} }` : '{}';
}

/** bson class instances (ObjectId, Long, Decimal128, …) in mongod's shell-like spelling. */
function formatTagged(v: object): string | undefined {
  const any = v as Record<string, any>;
  switch (bsonTag(v)) {
    case 'ObjectId':
      return `ObjectId('${any.toHexString()}')`;
    case 'Long':
      return any.toString();
    case 'Int32':
      return String(any.value);
    case 'Double':
      return Number.isInteger(any.value) ? `${any.value}.0` : formatNumber(any.value);
    case 'Decimal128':
      return `NumberDecimal("${any.toString()}")`;
    case 'Binary':
      return `BinData(${any.sub_type}, ${hex((any.buffer as Uint8Array).subarray(0, any.position))})`;
    case 'Timestamp':
      return `Timestamp(${any.high >>> 0}, ${any.low >>> 0})`;
    case 'BSONRegExp':
      return `/${any.pattern}/${any.options}`;
    case 'MinKey':
      return 'MinKey';
    case 'MaxKey':
      return 'MaxKey';
    case 'BSONSymbol':
      return JSON.stringify(String(any.value));
    default:
      return undefined;
  }
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').toUpperCase();
