import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';

/** Global so that any module can record to the trail: inject AuditService and call record(). */
@Global()
@Module({ providers: [AuditService], exports: [AuditService] })
export class AuditModule {}
