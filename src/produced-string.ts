import { IResolvable, IResolveContext, Token } from 'cdktf';

/**
 * A string worked out when the stack synthesizes (like cdktf's `Lazy.stringValue`), as a token that records
 * no creation stack trace: IResolvable allows an empty `creationStack`. Every cdktf Lazy and reference
 * captures and formats a full stack trace when it is made, which in a stack of hundreds of key pairs was
 * most of what synth spent in this library.
 */
export function producedString(produce: (context: IResolveContext) => string): string {
  return Token.asString(new ProducedString(produce));
}

class ProducedString implements IResolvable {
  public readonly creationStack: string[] = [];

  constructor(private readonly produce: (context: IResolveContext) => string) {}

  public resolve(context: IResolveContext): string {
    return this.produce(context);
  }

  public toString(): string {
    return Token.asString(this);
  }
}
