import { describe, expect, it } from 'vitest';
import { createRepos } from '../../src/db/repos/index.js';
import { createBotDirectory } from '../../src/engine/bot-directory.js';
import { silentLogger } from '../../src/util/logger.js';
import { useTestDatabase } from '../support/database.js';
import { seedGuild } from '../support/db-fixtures.js';

// Autocomplete from memory: the list is read once per guild, filtered in memory, refreshed in
// the background when old, and read again as soon as this process changes the guild's bots.
const { db } = await useTestDatabase();

function counted() {
  const repos = createRepos(db);
  let reads = 0;
  const autocomplete = repos.bots.autocomplete;
  repos.bots.autocomplete = (...args) => {
    reads++;
    return autocomplete(...args);
  };
  return { repos, reads: () => reads };
}

describe('the bot directory', () => {
  it('reads a guild once, then filters by prefix, owner and retirement in memory', async () => {
    const { guild, player, bots } = await seedGuild(db, ['rocky', 'Rocket', 'paper']);
    const { repos, reads } = counted();
    await repos.bots.retire(bots[1]!.bot.id);
    const directory = createBotDirectory({ repos, logger: silentLogger });
    expect((await directory.choices(guild.id, 'ro')).map((b) => b.name)).toEqual(['rocky']);
    expect((await directory.choices(guild.id, 'RO', { includeRetired: true })).map((b) => b.name)).toEqual([
      'Rocket',
      'rocky',
    ]);
    expect(await directory.choices(guild.id, '', { ownerUserId: 'somebody-else' })).toEqual([]);
    expect((await directory.choices(guild.id, 'p', { ownerUserId: player.userId }))[0]).toMatchObject({
      name: 'paper',
      ownerName: 'Alice',
    });
    expect(reads()).toBe(1);
  });

  it('serves a stale list at once and refreshes it behind; forget() makes the next read fresh', async () => {
    const { guild, bots } = await seedGuild(db, ['alpha']);
    const { repos, reads } = counted();
    let clock = 0;
    const directory = createBotDirectory({ repos, logger: silentLogger }, { ttlMs: 1000, now: () => clock });
    expect((await directory.choices(guild.id, '')).map((b) => b.name)).toEqual(['alpha']);
    await repos.bots.retire(bots[0]!.bot.id);
    // Within the TTL: the list in memory, no read.
    expect((await directory.choices(guild.id, '')).map((b) => b.name)).toEqual(['alpha']);
    expect(reads()).toBe(1);
    clock = 5000;
    // Old: still answered from memory at once, while a refresh runs.
    expect((await directory.choices(guild.id, '')).map((b) => b.name)).toEqual(['alpha']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(reads()).toBe(2);
    expect(await directory.choices(guild.id, '')).toEqual([]);
    await repos.bots.activate(bots[0]!.bot.id);
    directory.forget(guild.id);
    expect((await directory.choices(guild.id, '')).map((b) => b.name)).toEqual(['alpha']);
    expect(reads()).toBe(3);
  });
});
