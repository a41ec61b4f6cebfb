import { Inject, Injectable, Logger } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { API_CONFIG, type ApiConfig } from '../config/api-config';

export interface MailOutcome {
  sent: boolean;
  error?: string;
}

/**
 * Sends invitation and reset links through the SMTP relay the operator configured
 * (PULSE_SMTP_*). Without it nothing is sent: the admin copies the link from the answer.
 */
@Injectable()
export class MailerService {
  private readonly logger = new Logger('Mailer');
  private transport: Transporter | null = null;

  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  get configured(): boolean {
    return !!this.config.PULSE_SMTP_HOST;
  }

  private transporter(): Transporter {
    this.transport ??= createTransport({
      host: this.config.PULSE_SMTP_HOST,
      port: this.config.PULSE_SMTP_PORT,
      secure: this.config.PULSE_SMTP_SECURE,
      ...(this.config.PULSE_SMTP_USER
        ? { auth: { user: this.config.PULSE_SMTP_USER, pass: this.config.PULSE_SMTP_PASSWORD } }
        : {}),
      // Bounded, so that a silent relay cannot hold the admin's request for minutes.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    return this.transport;
  }

  async send(to: string, subject: string, text: string): Promise<MailOutcome> {
    if (!this.configured) return { sent: false };
    try {
      await this.transporter().sendMail({ from: this.config.PULSE_SMTP_FROM, to, subject, text });
      return { sent: true };
    } catch (e) {
      // The link still works: the admin gets it in the answer and can pass it on.
      const message = (e as Error).message.replace(/\s+/g, ' ').slice(0, 200);
      this.logger.warn(`could not send mail to the SMTP relay: ${message}`);
      return {
        sent: false,
        error: `The e-mail could not be sent (${message}); give the person the link yourself.`,
      };
    }
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
