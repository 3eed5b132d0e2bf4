import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  QUERY_LIMITS,
  QUERY_SUBJECTS,
  type KeyDailyUsageView,
  type ServiceAccountUsageView,
} from '@keyward/messaging';
import {
  Call,
  RequestValidationPipe,
  type CallContext,
  CallerAuthenticator,
  requireServiceAccountReader,
} from '@keyward/transport';
import { READ_MODEL_DB } from '../../tokens';
import type { Db } from '../../store/read-model-db';
import { prepared } from '../../store/prepared';
import { keyStatus, serviceAccountNotFound } from '../views';
import { ServiceAccountUsageRequestDto } from './service-account-usage.request';

const DAY_S = 86_400;

interface UsageKeyRow {
  key_id: string;
  name: string;
  hint: string;
  expires_at: number | null;
  revoked_at: number | null;
}

interface DailyRow {
  key_id: string;
  day: number;
  uses: number;
  refused: number;
}

/** The UTC midnights (epoch seconds) of the `count` days that end with the day of `now`. */
export function usageDays(now: number, count: number): number[] {
  const today = Math.floor(now / 1000 / DAY_S) * DAY_S;
  return Array.from({ length: count }, (_, i) => today - (count - 1 - i) * DAY_S);
}

/**
 * Uses and refused attempts per UTC day of every key of one service account (key_usage_daily),
 * for a chart of traffic moving from an old key to its successor. Who may ask and what is
 * refused are as for getting the account (GetServiceAccountHandler).
 */
@Controller()
export class ServiceAccountUsageHandler {
  constructor(
    private readonly callers: CallerAuthenticator,
    @Inject(READ_MODEL_DB) private readonly db: Db,
  ) {}

  @MessagePattern(QUERY_SUBJECTS.serviceAccountUsage)
  async handle(
    @Payload(new RequestValidationPipe()) request: ServiceAccountUsageRequestDto,
    @Call() call: CallContext,
  ): Promise<ServiceAccountUsageView> {
    const caller = await this.callers.authenticate(call, request.orgId);
    requireServiceAccountReader(caller);
    const now = Date.now();
    const days = usageDays(now, request.days ?? QUERY_LIMITS.defaultUsageDays);
    const params = { orgId: caller.orgId, id: request.id };
    // From here on nothing awaits: the reads below see one state of the read models.
    const account = prepared(
      this.db,
      `SELECT 1 FROM service_accounts WHERE org_id = @orgId AND account_id = @id`,
    ).get(params);
    // Another org's account is as absent as one that never existed.
    if (!account) {
      throw serviceAccountNotFound(request.id);
    }
    const keys = prepared(
      this.db,
      `SELECT k.key_id, k.name, k.hint, k.expires_at, k.revoked_at FROM keys k
         WHERE k.org_id = @orgId AND k.owner_kind = 'serviceAccount' AND k.owner_id = @id
         ORDER BY k.created_at, k.key_id`,
    ).all(params) as UsageKeyRow[];
    const counts = prepared(
      this.db,
      `SELECT d.key_id, d.day, d.uses, d.refused FROM keys k
         JOIN key_usage_daily d ON d.org_id = k.org_id AND d.key_id = k.key_id
         WHERE k.org_id = @orgId AND k.owner_kind = 'serviceAccount' AND k.owner_id = @id
           AND d.day BETWEEN @first AND @last`,
    ).all({ ...params, first: days[0], last: days[days.length - 1] }) as DailyRow[];

    const index = new Map(days.map((day, i) => [day, i]));
    const series = new Map<string, KeyDailyUsageView>();
    const view = keys.map((key): KeyDailyUsageView => {
      const entry: KeyDailyUsageView = {
        keyId: key.key_id,
        name: key.name,
        hint: key.hint,
        status: keyStatus(key, now),
        uses: days.map(() => 0),
        refused: days.map(() => 0),
      };
      series.set(key.key_id, entry);
      return entry;
    });
    for (const row of counts) {
      const i = index.get(row.day);
      const entry = series.get(row.key_id);
      if (i === undefined || !entry) continue;
      entry.uses[i] += row.uses;
      entry.refused[i] += row.refused;
    }
    return { days, keys: view };
  }
}
