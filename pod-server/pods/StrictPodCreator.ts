import type { PodCreatorInput, PodCreatorOutput } from '@solid/community-server';
import { BadRequestHttpError, PodCreator } from '@solid/community-server';

// Characters a Turtle IRIREF may not contain, plus controls and whitespace.
const UNSAFE_IRI = /[\u0000-\u0020<>"{}|^`\\]/u;

/**
 * Lets only known pod settings reach the pod templates, and only as safe IRIs.
 * CSS 7.2 passes every extra key of the creation body into the templates unescaped.
 */
export class StrictPodCreator extends PodCreator {
  /**
   * @param source - The pod creator that does the work.
   * @param allowedSettings - Setting keys a request may send.
   */
  public constructor(private readonly source: PodCreator, private readonly allowedSettings: string[]) {
    super();
  }

  public async handle(input: PodCreatorInput): Promise<PodCreatorOutput> {
    const settings = input.settings ?? {};
    const unknown = Object.keys(settings).filter((key): boolean => !this.allowedSettings.includes(key));
    if (unknown.length > 0) {
      throw new BadRequestHttpError(`Unknown pod settings: ${unknown.join(', ')}. Allowed: ${this.allowedSettings.join(', ') || 'none'}.`);
    }
    for (const [ key, value ] of Object.entries(settings)) {
      if (typeof value !== 'string' || UNSAFE_IRI.test(value)) {
        throw new BadRequestHttpError(`Pod setting ${key} must be an IRI without spaces, quotes or angle brackets.`);
      }
    }
    if (input.webId && UNSAFE_IRI.test(input.webId)) {
      throw new BadRequestHttpError('The WebID must be an IRI without spaces, quotes or angle brackets.');
    }
    return this.source.handleSafe({ ...input, settings });
  }
}
