/**
 * MongoDB's canonical BSON type order, used for sorting, index ranges and mixed-type comparison.
 * Numbers of every width share one rank (they compare by value); null and missing share one too.
 */
export const TypeRank = {
  MinKey: 1,
  Null: 2,
  Number: 3,
  String: 4,
  Object: 5,
  Array: 6,
  BinData: 7,
  ObjectId: 8,
  Boolean: 9,
  Date: 10,
  Timestamp: 11,
  RegExp: 12,
  MaxKey: 13,
} as const;

type BsonTagged = { _bsontype?: string };

/** The rank of a value in MongoDB's cross-type order. `undefined` (missing) ranks as null. */
export function typeRank(v: unknown): number {
  if (v === null || v === undefined) return TypeRank.Null;
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return TypeRank.Number;
    case 'string':
      return TypeRank.String;
    case 'boolean':
      return TypeRank.Boolean;
    case 'object':
      return objectRank(v as object);
    default:
      return TypeRank.Object;
  }
}

function objectRank(v: object): number {
  if (Array.isArray(v)) return TypeRank.Array;
  if (v instanceof Date) return TypeRank.Date;
  if (v instanceof RegExp) return TypeRank.RegExp;
  if (ArrayBuffer.isView(v)) return TypeRank.BinData;
  switch ((v as BsonTagged)._bsontype) {
    case 'ObjectId':
      return TypeRank.ObjectId;
    case 'Decimal128':
    case 'Long':
    case 'Int32':
    case 'Double':
      return TypeRank.Number;
    case 'Binary':
      return TypeRank.BinData;
    case 'Timestamp':
      return TypeRank.Timestamp;
    case 'BSONRegExp':
      return TypeRank.RegExp;
    case 'BSONSymbol':
      return TypeRank.String;
    case 'MinKey':
      return TypeRank.MinKey;
    case 'MaxKey':
      return TypeRank.MaxKey;
    default:
      return TypeRank.Object;
  }
}

/** The `_bsontype` tag of a bson class instance, or undefined for plain JS values. */
export const bsonTag = (v: unknown): string | undefined =>
  v !== null && typeof v === 'object' ? (v as BsonTagged)._bsontype : undefined;

/** Numeric value of any BSON number type; Decimal128 is approximated by a double. */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  const tag = bsonTag(v);
  if (tag === 'Long') return (v as { toNumber(): number }).toNumber();
  if (tag === 'Int32' || tag === 'Double') return (v as { value: number }).value;
  if (tag === 'Decimal128') return Number.parseFloat(String(v));
  return Number.NaN;
}
