import { ApiProperty } from '@nestjs/swagger';

/** The answer to a leak report: the same for the same values whatever existed. */
export class LeakReportReplySchema {
  @ApiProperty({ description: 'Values in the report', minimum: 0, maximum: 1000 })
  received!: number;

  @ApiProperty({
    description:
      'Of those, values that are not Keyward keys (prefix, length or checksum); never echoed',
    minimum: 0,
    maximum: 1000,
  })
  malformed!: number;
}
