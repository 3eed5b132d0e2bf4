import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { PROJECTOR_HEALTH_SUBJECT, type ProjectorHealthReply } from '@keyward/messaging';
import { ProjectorRuntime } from '../../projection/projector-runtime';

/** Liveness and how far the read models are: supervisors and tests poll it. */
@Controller()
export class HealthHandler {
  constructor(private readonly runtime: ProjectorRuntime) {}

  @MessagePattern(PROJECTOR_HEALTH_SUBJECT)
  health(): ProjectorHealthReply {
    const position = this.runtime.position();
    return {
      service: 'projector',
      pid: process.pid,
      position: position === null ? null : String(position),
      usageSequence: this.runtime.usageSequence(),
      caughtUp: this.runtime.caughtUp,
    };
  }
}
