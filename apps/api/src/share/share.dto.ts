import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsISO8601, IsOptional } from 'class-validator';
import { KPI_FAMILIES } from '@pulse/contracts';

export class CreateShareLinkDto {
  @ApiPropertyOptional({
    description: 'When the link stops working (ISO instant); omit for no expiry',
    example: '2027-01-31T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;

  @ApiPropertyOptional({
    description: 'KPI families the vendor may see (default: all)',
    example: ['delivery', 'quality'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(KPI_FAMILIES.length)
  @IsIn(KPI_FAMILIES, { each: true })
  families?: string[];

  @ApiPropertyOptional({
    description: 'Show item lists (PR numbers, links to GitHub/Jira) to the vendor',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  allowDrillDown?: boolean;
}
