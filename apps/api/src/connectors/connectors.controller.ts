import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { describeConnectionKinds } from '@pulse/connectors';
import type { ConnectorDescriptionDto } from '@pulse/contracts';

/**
 * The settings form of every connection kind, from the connector registry: fields with
 * their labels, descriptions and pickers, and the secret's label. Nothing engagement-specific.
 */
@ApiTags('connectors')
@Controller('api/connectors')
export class ConnectorsController {
  @Get()
  list(): ConnectorDescriptionDto[] {
    return describeConnectionKinds();
  }
}
