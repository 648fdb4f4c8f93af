import { bsonTag, toNumber, typeRank, TypeRank } from './types.js';

/**
 * A string that is identical for two values exactly when mongod considers them equal — the key
 * of hash lookups (`_id` map, unique and equality indexes). Numbers of every width share one
 * encoding because `{_id: 1}` and `{_id: 1.0}` collide in mongod too.
 */
export function valueKey(v: unknown): string {
  switch (typeRank(v)) {
    case TypeRank.Null:
      return 'z';
    case TypeRank.MinKey:
      return '-';
    case TypeRank.MaxKey:
      return '+';
    case TypeRank.Number:
      return numberKey(toNumber(v));
    case TypeRank.String:
      return 's' + String(v);
    case TypeRank.Boolean:
      return v ? 'b1' : 'b0';
    case TypeRank.Date:
      return 'd' + (v as Date).getTime();
    case TypeRank.ObjectId:
      return 'o' + (v as { toHexString(): string }).toHexString();
    case TypeRank.Array:
      return '[' + (v as unknown[]).map((x) => JSON.stringify(valueKey(x))).join(',') + ']';
    case TypeRank.Timestamp: {
      const t = v as { high: number; low: number };
      return `t${t.high >>> 0}:${t.low >>> 0}`;
    }
    case TypeRank.BinData:
      return binaryKey(v);
    case TypeRank.RegExp:
      return v instanceof RegExp ? `r/${v.source}/${v.flags}` : `r/${(v as { pattern: string }).pattern}/${(v as { options: string }).options}`;
    default:
      return objectKey(v as Record<string, unknown>);
  }
}

const numberKey = (n: number): string => (Number.isNaN(n) ? 'nNaN' : 'n' + (n === 0 ? 0 : n));

function binaryKey(v: unknown): string {
  if (bsonTag(v) === 'Binary') {
    const bin = v as { sub_type: number; buffer: Uint8Array; position: number };
    return `x${bin.sub_type}:${Buffer.from(bin.buffer.subarray(0, bin.position)).toString('base64')}`;
  }
  const view = v as ArrayBufferView;
  return `x0:${Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64')}`;
}

/** Field order matters for embedded-document equality in mongod, so keys are kept in order. */
function objectKey(o: Record<string, unknown>): string {
  return '{' + Object.keys(o).map((k) => JSON.stringify(k) + ':' + JSON.stringify(valueKey(o[k]))).join(',') + '}';
}
