import { Injectable } from '@nestjs/common';

/** Creates the demo engagements from the sandbox (filled in with the sandbox). */
@Injectable()
export class DemoService {}
