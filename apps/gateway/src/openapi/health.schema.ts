import { ApiProperty } from '@nestjs/swagger';

export class HealthSchema {
  @ApiProperty({ enum: ['ok', 'unavailable'] })
  status!: string;
}
