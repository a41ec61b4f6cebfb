import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class CoverageUploadDto {
  @ApiProperty({ example: 'acme/payments' })
  @Matches(/^[\w.-]+\/[\w.-]+$/, { message: 'repo must look like owner/name' })
  repo!: string;

  @ApiProperty({ example: 'main' })
  @IsString()
  @MaxLength(200)
  branch!: string;

  @ApiProperty({ example: '4f1c2e…' })
  @Matches(/^[0-9a-f]{7,64}$/i, { message: 'sha must be a commit SHA (hex)' })
  sha!: string;

  @ApiPropertyOptional({ description: 'Commit time (ISO); default: now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  committedAt?: string;

  @ApiPropertyOptional({
    description: 'Whether branch is the default branch; default: branch is main or master',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  defaultBranch?: boolean;

  @ApiProperty({ type: 'string', format: 'binary', description: 'The report file' })
  @IsOptional()
  report?: unknown;
}
