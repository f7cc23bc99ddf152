/** The UTS namespace: what uname reports as host and domain name. */
export class UtsNamespace {
  hostName: string;
  domainName: string;

  constructor(hostName: string, domainName = '(none)') {
    this.hostName = hostName;
    this.domainName = domainName;
  }
}
