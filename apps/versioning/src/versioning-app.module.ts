import { Module } from '@nestjs/common';
import { FetchConsumer, VersioningModule } from '@termline/versioning';

/** The versioning process: the use case from its library, fed by the fetches topic. */
@Module({
  imports: [VersioningModule],
  providers: [FetchConsumer],
})
export class VersioningAppModule {}
