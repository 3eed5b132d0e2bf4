import { ArrayMaxSize, IsArray, IsString, MaxLength } from 'class-validator';
import { LEAK_REPORT_MAX_KEYS, type ReportLeakedKeysRequest } from '@keyward/messaging';

export class ReportLeakedKeysRequestDto implements ReportLeakedKeysRequest {
  @IsArray()
  @ArrayMaxSize(LEAK_REPORT_MAX_KEYS)
  @IsString({ each: true })
  // Far above any key (58 characters at most): a longer value is malformed, but is no value.
  @MaxLength(1000, { each: true })
  keys!: string[];
}
