import type { LeadChange } from './expiry-leads';
import type { Db } from './notifier-db';

const DEFAULT_LEAD = 'expiry_default_lead_ms';

/**
 * The organizations' lead times folded from `OrganizationPolicySet` (`expiry-leads.ts`), changed
 * only inside the checkpoint's transaction. A change of an organization's lead plans its keys'
 * soon notices again, in the same transaction: those already sent stay sent (and so do keys
 * already expired); the others are due `expiresAt - lead`, never before the policy was set, so
 * a notice the new lead makes due is sent at once. Lead 0 marks them skipped.
 */
export class ExpiryLeadTable {
  private readonly selectLead;
  private readonly upsertLead;
  private readonly replanOrg;
  private readonly replanDefault;
  private readonly readMeta;
  private readonly writeMeta;
  private readonly useDefaultAll: () => void;

  constructor(
    db: Db,
    private readonly defaultLeadMs: number,
  ) {
    this.selectLead = db
      .prepare(`SELECT lead_seconds FROM org_expiry_leads WHERE org_id = ?`)
      .pluck();
    this.upsertLead = db.prepare(
      `INSERT INTO org_expiry_leads (org_id, lead_seconds) VALUES (?, ?)
       ON CONFLICT (org_id) DO UPDATE SET lead_seconds = excluded.lead_seconds`,
    );
    // MAX(@from, set_at): on an upgraded file the policy events are folded again over deadlines
    // already at a later point; a key set after the policy was planned when it was set.
    this.replanOrg = db.prepare(
      `UPDATE key_deadlines SET
         soon = CASE WHEN @leadMs = 0 THEN 'skipped' ELSE 'pending' END,
         soon_from = MAX(@from, set_at),
         soon_at = CASE WHEN @leadMs = 0 THEN expires_at
                        ELSE MAX(@from, set_at, expires_at - @leadMs) END
       WHERE org_id = @orgId AND expired = 'pending' AND soon <> 'sent'`,
    );
    this.replanDefault = db.prepare(
      `UPDATE key_deadlines SET
         soon = CASE WHEN @leadMs = 0 THEN 'skipped' ELSE 'pending' END,
         soon_at = CASE WHEN @leadMs = 0 THEN expires_at
                        ELSE MAX(soon_from, expires_at - @leadMs) END
       WHERE expired = 'pending' AND soon <> 'sent'
         AND org_id NOT IN (SELECT org_id FROM org_expiry_leads WHERE lead_seconds IS NOT NULL)`,
    );
    this.readMeta = db.prepare(`SELECT value FROM meta WHERE name = ?`).pluck();
    this.writeMeta = db.prepare(
      `INSERT INTO meta (name, value) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    );
    this.useDefaultAll = db.transaction(() => {
      const recorded = this.readMeta.get(DEFAULT_LEAD) as string | undefined;
      if (recorded === String(this.defaultLeadMs)) return;
      this.replanDefault.run({ leadMs: this.defaultLeadMs });
      this.writeMeta.run(DEFAULT_LEAD, String(this.defaultLeadMs));
    });
  }

  /** The lead of an organization's keys (ms): its policy's, or the deployment's default. */
  leadMsOf(orgId: string): number {
    const seconds = this.selectLead.get(orgId) as number | null | undefined;
    return seconds === null || seconds === undefined ? this.defaultLeadMs : seconds * 1000;
  }

  /** Call inside the checkpoint's transaction. */
  apply(change: LeadChange): void {
    const before = this.leadMsOf(change.orgId);
    this.upsertLead.run(change.orgId, change.seconds);
    const leadMs = this.leadMsOf(change.orgId);
    if (leadMs !== before) this.replanOrg.run({ orgId: change.orgId, leadMs, from: change.at });
  }

  /**
   * On open: when the deployment's default differs from the one the file was planned with (or
   * the file never recorded one: it is new, or from before per-organization leads), plans the
   * soon notices of the organizations on the default again, as a change of their lead would.
   */
  useDefault(): void {
    this.useDefaultAll();
  }
}
