/** Settings of the trust's deployment that functions need. */
export interface TrustSettings {
  /** Who gets the trust-wide weekly summary; empty means nobody does. */
  trustLeaders: string[];
  /** Shown in emails, e.g. "Oak Valley Academy Trust". */
  trustName: string;
}
