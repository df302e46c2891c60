import { IsString, MinLength } from 'class-validator';
import { CLIApplicationComponent, component } from 'asphalt-ts';

export class HelloConfig {
  @IsString() @MinLength(1) greeting = 'Hello';
  @IsString() name = 'world';
}

/** The smallest application: prints a greeting from its config and exits with 0. */
@component()
export class HelloApp extends CLIApplicationComponent {
  constructor(readonly config: HelloConfig) {
    super();
  }

  async run(): Promise<number> {
    console.log(`${this.config.greeting}, ${this.config.name}!`);
    return 0;
  }
}
