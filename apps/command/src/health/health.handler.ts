import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { HEALTH_SUBJECTS } from '@keyward/messaging';

/** Answers once the service is wired to NATS and the store; supervisors poll it. */
@Controller()
export class HealthHandler {
  @MessagePattern(HEALTH_SUBJECTS.command)
  health(): { service: string; pid: number } {
    return { service: 'command', pid: process.pid };
  }
}
