import type {
  CredentialsExtractor,
  KeyValueStorage,
  NotificationChannelStorage,
  OperationHttpHandlerInput,
  ResponseDescription,
} from '@solid/community-server';
import {
  ForbiddenHttpError,
  getLoggerFor,
  NotFoundHttpError,
  OperationHttpHandler,
  ResetResponseDescription,
  UnauthorizedHttpError,
} from '@solid/community-server';

/** Deletes a notification channel, but only for the agent that created it (CSS 7.2 lets anyone). */
export class CreatorOnlyUnsubscriber extends OperationHttpHandler {
  protected readonly logger = getLoggerFor(this);

  /**
   * @param credentialsExtractor - Who is asking.
   * @param storage - The notification channels.
   * @param creators - Channel id → WebID of its creator, as recorded by {@link CreatorRecordingChannelType}.
   */
  public constructor(
    private readonly credentialsExtractor: CredentialsExtractor,
    private readonly storage: NotificationChannelStorage,
    private readonly creators: KeyValueStorage<string, string>,
  ) {
    super();
  }

  public async handle({ operation, request }: OperationHttpHandlerInput): Promise<ResponseDescription> {
    const id = operation.target.path;
    if (!await this.storage.get(id)) {
      throw new NotFoundHttpError();
    }
    const credentials = await this.credentialsExtractor.handleSafe(request);
    const webId = credentials.agent?.webId;
    if (!webId) {
      throw new UnauthorizedHttpError('Log in as the agent that created this channel to delete it.');
    }
    // Fail closed: a channel without a recorded creator (made anonymously) can only expire.
    if (await this.creators.get(id) !== webId) {
      this.logger.debug(`${webId} may not delete notification channel ${id}`);
      throw new ForbiddenHttpError('Only the agent that created this channel may delete it.');
    }
    await this.storage.delete(id);
    await this.creators.delete(id);
    return new ResetResponseDescription();
  }
}
