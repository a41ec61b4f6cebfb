import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsCron, IsTimeZone } from '../common/validation';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class CalendarDto {
  @ApiProperty({ example: 'America/Chicago' })
  @IsTimeZone()
  timeZone!: string;

  @ApiPropertyOptional({ example: [1, 2, 3, 4, 5], description: 'ISO weekdays, 1 = Monday … 7 = Sunday' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(7)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  weekdays?: number[];

  @ApiPropertyOptional({ example: '09:00' })
  @IsOptional()
  @Matches(HH_MM, { message: 'start must be HH:mm (24 h)' })
  start?: string;

  @ApiPropertyOptional({ example: '18:00' })
  @IsOptional()
  @Matches(HH_MM, { message: 'end must be HH:mm (24 h)' })
  end?: string;

  @ApiPropertyOptional({ example: ['2026-12-25'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(400)
  @Matches(ISO_DATE, { each: true, message: 'holidays must be yyyy-mm-dd dates' })
  holidays?: string[];
}

export class EngagementSettingsDto {
  @ApiPropertyOptional({ example: ['Bug'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @ArrayMaxSize(20)
  bugTypes?: string[];

  @ApiPropertyOptional({ example: '^(bug|defect|regression)$' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  bugLabelPattern?: string;

  @ApiPropertyOptional({ example: ['production', 'found-in-prod'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @ArrayMaxSize(20)
  escapedLabels?: string[];

  @ApiPropertyOptional({ example: 'customfield_10016', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  storyPointsField?: string | null;

  @ApiPropertyOptional({ example: ['production'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @ArrayMaxSize(20)
  productionEnvironments?: string[];

  @ApiPropertyOptional({ example: { Highest: 1, High: 3, Medium: 10 } })
  @IsOptional()
  @IsObject()
  bugSlaBusinessDays?: Record<string, number>;

  @ApiPropertyOptional({ example: ['ci-bot'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @ArrayMaxSize(100)
  botAccounts?: string[];
}

export class CreateEngagementDto {
  @ApiProperty({ example: 'Payments rewrite' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'Acme Dev Studio' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  vendorName!: string;

  @ApiPropertyOptional({ description: "Weekly buckets' zone; defaults to the client calendar's zone" })
  @IsOptional()
  @IsTimeZone()
  reportingTimeZone?: string;

  @ApiProperty({ type: CalendarDto })
  @ValidateNested()
  @Type(() => CalendarDto)
  clientCalendar!: CalendarDto;

  @ApiProperty({ type: CalendarDto })
  @ValidateNested()
  @Type(() => CalendarDto)
  vendorCalendar!: CalendarDto;

  @ApiPropertyOptional({ example: '*/30 * * * *', description: 'Sync schedule, in the reporting time zone' })
  @IsOptional()
  @IsCron()
  syncCron?: string;

  @ApiPropertyOptional({ type: EngagementSettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => EngagementSettingsDto)
  settings?: EngagementSettingsDto;
}

export class UpdateEngagementDto extends PartialType(CreateEngagementDto) {}

export class ThresholdDto {
  @ApiProperty({ example: 'delivery.pr_cycle_time' })
  @IsString()
  kpiKey!: string;

  @ApiProperty({ nullable: true, example: 72 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  warn!: number | null;

  @ApiProperty({ nullable: true, example: 168 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  breach!: number | null;

  /** The engagement's minimum sample for this KPI (null = the catalogue default, docs/kpis.md). */
  @ApiPropertyOptional({ nullable: true, example: 3 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  minN?: number | null;
}

export class PutThresholdsDto {
  @ApiProperty({ type: [ThresholdDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ThresholdDto)
  thresholds!: ThresholdDto[];
}

export class IdentitiesDto {
  @ApiPropertyOptional({ example: ['octocat'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @ArrayMaxSize(20)
  github?: string[];

  @ApiPropertyOptional({ example: ['5b10a2844c20165700ede21g'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @ArrayMaxSize(20)
  jira?: string[];

  @ApiPropertyOptional({ example: ['U0123ABCD'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @ArrayMaxSize(20)
  slack?: string[];
}

export class PersonInputDto {
  @ApiPropertyOptional({ description: 'Existing person id; omit to add someone' })
  @IsOptional()
  @IsString()
  id?: string;

  @ApiProperty({ example: 'Maria Santos' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName!: string;

  @ApiPropertyOptional({ example: 'maria@vendor.example', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  email?: string | null;

  @ApiProperty({ enum: ['client', 'vendor'] })
  @IsIn(['client', 'vendor'])
  side!: 'client' | 'vendor';

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  isBot?: boolean;

  @ApiProperty({ type: IdentitiesDto })
  @ValidateNested()
  @Type(() => IdentitiesDto)
  identities!: IdentitiesDto;
}

export class PutPeopleDto {
  @ApiProperty({ type: [PersonInputDto] })
  @IsArray()
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => PersonInputDto)
  people!: PersonInputDto[];
}

export class PutConnectionDto {
  @ApiProperty({
    description:
      'Kind-specific, non-secret settings (github: baseUrl, repos; jira: baseUrl, email, projectKeys, boardIds; slack: baseUrl, channelIds)',
    example: { baseUrl: 'https://api.github.com', repos: ['acme/payments'] },
  })
  @IsObject()
  settings!: Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'API token. Write-only: stored encrypted, never returned. Omit to keep the current one.',
    writeOnly: true,
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(4096)
  secret?: string;
}
