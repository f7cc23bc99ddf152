/** Where a snapshot's objects live inside a blob store. */

/** Prefix of every manifest: `snapshots/<id>.json`. */
export const MANIFEST_PREFIX = 'snapshots/';
/** Prefix of every chunk: `chunks/<sha256>`. */
export const CHUNK_PREFIX = 'chunks/';

/** Key of a snapshot's manifest. */
export function manifestKey(id: string): string {
  return `${MANIFEST_PREFIX}${id}.json`;
}

/** Key of the chunk whose uncompressed bytes hash to `sha256`. */
export function chunkKey(sha256: string): string {
  return `${CHUNK_PREFIX}${sha256}`;
}

/** The snapshot id of a manifest key, or undefined for any other key. */
export function idOfManifestKey(key: string): string | undefined {
  if (!key.startsWith(MANIFEST_PREFIX) || !key.endsWith('.json')) return undefined;
  const id = key.slice(MANIFEST_PREFIX.length, -'.json'.length);
  return id.includes('/') || id === '' ? undefined : id;
}
