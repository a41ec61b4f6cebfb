import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createDataSource, databaseConfigFrom, migrate, secretBoxFrom, SecretBox } from '@pulse/db';
import { API_CONFIG, type ApiConfig } from '../config/api-config';

/** The API owns migrations: it brings the schema up to date before serving. */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [API_CONFIG],
      useFactory: async (config: ApiConfig) => {
        const dataSource = createDataSource(databaseConfigFrom(config));
        const ran = await migrate(dataSource);
        if (ran.length) new Logger('Database').log(`applied migrations: ${ran.join(', ')}`);
        return dataSource;
      },
    },
    { provide: SecretBox, inject: [API_CONFIG], useFactory: (config: ApiConfig) => secretBoxFrom(config) },
  ],
  exports: [DataSource, SecretBox],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
