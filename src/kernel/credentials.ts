/**
 * User and group identity of a task, in a user namespace. Amber runs every
 * guest in its own root user namespace; IDs are what the guest sees.
 */
export class Credentials {
  uid: number;
  euid: number;
  suid: number;
  gid: number;
  egid: number;
  sgid: number;
  groups: number[];

  constructor(uid: number, gid: number, groups: number[] = []) {
    this.uid = this.euid = this.suid = uid;
    this.gid = this.egid = this.sgid = gid;
    this.groups = groups;
  }

  /** A copy, for a new task. */
  clone(): Credentials {
    const c = new Credentials(this.uid, this.gid, [...this.groups]);
    c.euid = this.euid;
    c.suid = this.suid;
    c.egid = this.egid;
    c.sgid = this.sgid;
    return c;
  }
}

/** The root user namespace: the ID range visible to guests. */
export class UserNamespace {
  /** Highest valid ID plus one. */
  readonly idLimit = 2 ** 32 - 1;
}
