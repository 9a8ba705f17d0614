import {
  type APIApplicationCommandOption,
  ApplicationCommandOptionType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

/**
 * The rules Discord applies when commands are registered (names, lengths, counts, required
 * before optional), checked here so a mistake in a command file fails a unit test and the
 * deploy script names it, instead of Discord answering "Invalid Form Body" for the whole set.
 * Returns the problems, empty when the set is valid.
 */
const NAME = /^[-_\p{Ll}\p{N}]{1,32}$/u;

export function commandProblems(json: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  if (json.length > 100) problems.push(`${json.length} commands; Discord allows 100`);
  const checkNamed = (at: string, name: string, description: string) => {
    if (!NAME.test(name))
      problems.push(`${at}: name "${name}" must be 1-32 lower-case letters, digits, - or _`);
    if (description.length < 1 || description.length > 100)
      problems.push(`${at}: description must be 1-100 characters (has ${description.length})`);
  };
  const checkOptions = (at: string, options: readonly APIApplicationCommandOption[]) => {
    if (options.length > 25) problems.push(`${at}: ${options.length} options; Discord allows 25`);
    let optionalSeen = false;
    const names = new Set<string>();
    for (const option of options) {
      const here = `${at} ${option.name}`;
      checkNamed(here, option.name, option.description);
      if (names.has(option.name)) problems.push(`${here}: duplicate option name`);
      names.add(option.name);
      if (
        option.type === ApplicationCommandOptionType.Subcommand ||
        option.type === ApplicationCommandOptionType.SubcommandGroup
      ) {
        checkOptions(here, (option.options ?? []) as APIApplicationCommandOption[]);
        continue;
      }
      if (option.required && optionalSeen) problems.push(`${here}: required options must come first`);
      if (!option.required) optionalSeen = true;
      if ('choices' in option && option.choices && option.choices.length > 25)
        problems.push(`${here}: ${option.choices.length} choices; Discord allows 25`);
      if ('max_length' in option && option.max_length !== undefined) {
        if (option.max_length < 1 || option.max_length > 6000)
          problems.push(`${here}: max_length out of 1-6000`);
      }
      if (
        'min_value' in option &&
        option.min_value !== undefined &&
        option.max_value !== undefined &&
        option.min_value > option.max_value
      ) {
        problems.push(`${here}: min_value is above max_value`);
      }
    }
  };
  for (const command of json) {
    const at = `/${command.name}`;
    if (seen.has(command.name)) problems.push(`${at}: registered twice`);
    seen.add(command.name);
    checkNamed(at, command.name, command.description);
    checkOptions(at, command.options ?? []);
  }
  return problems;
}
