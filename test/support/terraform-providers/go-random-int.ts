import { randomBytes } from 'node:crypto';

/**
 * `fmt.Sprintf("%d", rand.Int())` as the null provider computes `null_resource.id` and
 * `null_data_source.random`: a random non-negative 63-bit integer in decimal.
 */
export function goRandomIntString(): string {
  return (randomBytes(8).readBigUInt64BE() % 2n ** 63n).toString();
}
