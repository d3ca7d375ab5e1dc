//! The [`Store`]: the world (`accounts.rs`) behind its lock, and how a change reaches it: in memory, a
//! change is made in place under the write lock. With a state file, it is
//! made on a copy of the account, written durably, and only then swapped in,
//! under one lock that orders all writers: readers never see a change that is
//! not on disk, and a failed write changes nothing. This module knows the
//! rules of no operation; it only applies the closures it is given.

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError, RwLock};

use crate::accounts::{Account, Failure, IdCounters, World};
use crate::persist;

/// Serialises changes to the state file: held from copying the account until
/// the new state is both on disk and swapped in.
struct Persistence {
    path: PathBuf,
    writer_order: Mutex<()>,
}

/// The world behind its lock, and the optional state file.
pub(crate) struct Store {
    world: RwLock<World>,
    persistence: Option<Persistence>,
}

impl Store {
    pub(crate) fn in_memory(world: World) -> Self {
        Self {
            world: RwLock::new(world),
            persistence: None,
        }
    }

    /// A store that writes every change to `path` (which `world` came from,
    /// or which does not exist yet: it is written now, so a path that cannot
    /// be written fails at start rather than at the first change).
    pub(crate) fn persistent(world: World, path: PathBuf) -> Result<Self, crate::EmulatorError> {
        persist::write_durably(
            &path,
            &persist::encode(world.counters, world.accounts.iter()),
        )?;
        Ok(Self {
            world: RwLock::new(world),
            persistence: Some(Persistence {
                path,
                writer_order: Mutex::new(()),
            }),
        })
    }

    pub(crate) fn is_persistent(&self) -> bool {
        self.persistence.is_some()
    }

    pub(crate) fn account_id(&self, slot: usize) -> u32 {
        self.read(slot, |account| account.id)
    }

    /// Runs `read` on the account in `slot` (a slot the keyring handed out).
    pub(crate) fn read<R>(&self, slot: usize, read: impl FnOnce(&Account) -> R) -> R {
        let world = self.world.read().unwrap_or_else(PoisonError::into_inner);
        read(&world.accounts[slot])
    }

    /// Applies `change` to the account in `slot`; with a state file, the
    /// result is on disk before this returns `Ok`. Blocks on disk I/O then:
    /// async callers use `spawn_blocking`.
    pub(crate) fn change<R>(
        &self,
        slot: usize,
        change: impl FnOnce(&mut Account, &mut IdCounters) -> Result<R, Failure>,
    ) -> Result<R, Failure> {
        let Some(persistence) = &self.persistence else {
            let mut world = self.world.write().unwrap_or_else(PoisonError::into_inner);
            let World { counters, accounts } = &mut *world;
            return change(&mut accounts[slot], counters);
        };
        let _order = persistence
            .writer_order
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let (mut draft, mut counters) = {
            let world = self.world.read().unwrap_or_else(PoisonError::into_inner);
            (world.accounts[slot].clone(), world.counters)
        };
        let result = change(&mut draft, &mut counters)?;
        let encoded = {
            let world = self.world.read().unwrap_or_else(PoisonError::into_inner);
            let accounts = world.accounts.iter().enumerate();
            persist::encode(
                counters,
                accounts.map(|(index, account)| if index == slot { &draft } else { account }),
            )
        };
        persist::write_durably(&persistence.path, &encoded).map_err(|error| {
            Failure::Unavailable(format!(
                "the emulator could not save the change, so it was not made: {error}"
            ))
        })?;
        let mut world = self.world.write().unwrap_or_else(PoisonError::into_inner);
        world.accounts[slot] = draft;
        world.counters = counters;
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn create_filter(account: &mut Account, counters: &mut IdCounters) -> Result<i32, Failure> {
        let filter = serde_json::from_value(serde_json::json!({"field": "f", "value": "v"}))
            .map_err(|e| Failure::BadRequest(e.to_string()))?;
        crate::accounts::change::create_filter(account, counters, filter).map(|f| f.id)
    }

    #[test]
    fn a_change_that_cannot_be_saved_is_not_made() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("state.json");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let mut world = World::default();
        world.arrange(&[[1; 32]]);
        let store = Store::persistent(world, path.clone()).unwrap();
        assert_eq!(store.change(0, create_filter).unwrap(), 1);

        // The directory disappears: the next write cannot happen.
        std::fs::remove_dir_all(dir.path().join("sub")).unwrap();
        let failure = store.change(0, create_filter).unwrap_err();
        assert!(matches!(failure, Failure::Unavailable(_)), "{failure:?}");
        assert_eq!(store.read(0, |account| account.filters.len()), 1);

        // Once writable again, the next change gets the id the failed one did not use.
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        assert_eq!(store.change(0, create_filter).unwrap(), 2);
        let saved = crate::persist::load(&path).unwrap().unwrap();
        assert_eq!(saved.accounts[0].filters.len(), 2);
    }
}
