import type { StoreRef } from '../sandbox/worker-protocol.ts';
import { openSnapshotStore, type SnapshotStore, type StoreEnv } from '../store/index.ts';

/** The tenant of every request when no API keys are configured. */
export const OPEN_TENANT = 'default';

/**
 * Where each tenant's snapshots live. The open tenant's are at the root of
 * the store location, where `amber snapshots --store` finds them too; with
 * API keys, each other tenant has its own snapshot store under
 * `tenants/TENANT/`, chunks included, so that no tenant can load, delete,
 * import over or even detect (by shared chunks) another's snapshots.
 */
export class TenantSnapshots {
  private readonly stores = new Map<string, SnapshotStore>();
  /** The variables a store reads, and no others, for worker requests. */
  private readonly storeEnv: StoreEnv;

  constructor(
    /** The service's store location (a folder or `s3://bucket/prefix`). */
    private readonly root: string,
    /** Variables the S3 store reads. */
    private readonly env: StoreEnv,
    /** Whether a folder store syncs each write (tests turn it off). */
    private readonly durable = true,
  ) {
    this.storeEnv = Object.fromEntries(
      Object.entries(env).filter(([k]) => k.startsWith('AWS_') || k.startsWith('AMBER_S3_')),
    );
  }

  /** The location of a tenant's snapshot store. */
  location(tenant: string): string {
    if (tenant === OPEN_TENANT) return this.root;
    return `${this.root.replace(/\/+$/, '')}/tenants/${tenant}`;
  }

  /** What a sandbox worker needs to open the tenant's store itself. */
  ref(tenant: string): StoreRef {
    return { location: this.location(tenant), env: this.storeEnv, durable: this.durable };
  }

  /** The tenant's snapshot store, opened on first use. */
  store(tenant: string): SnapshotStore {
    let store = this.stores.get(tenant);
    if (store === undefined) {
      store = openSnapshotStore(this.location(tenant), this.env, { durable: this.durable });
      this.stores.set(tenant, store);
    }
    return store;
  }
}
