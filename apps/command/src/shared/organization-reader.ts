import { Injectable } from '@nestjs/common';
import {
  DomainError,
  organizationDecider,
  organizationStream,
  type Organization,
} from '@keyward/domain';
import { CommandPipeline } from '../pipeline/command-pipeline';

/** Reads an organization (roles and policy) from its own stream, never from a read model. */
@Injectable()
export class OrganizationReader {
  constructor(private readonly pipeline: CommandPipeline) {}

  async read(orgId: string, readBarrier?: Promise<void>): Promise<Organization> {
    const stream = organizationStream(orgId);
    const { state } = await this.pipeline.load(stream, organizationDecider, readBarrier);
    if (state.type === 'Missing') {
      throw new DomainError('ORGANIZATION.NOT_FOUND', `organization ${orgId} does not exist`);
    }
    return state.data;
  }
}
