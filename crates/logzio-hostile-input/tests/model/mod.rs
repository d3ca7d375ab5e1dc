//! The reference model of the emulator for `emulator_model.rs`: what each of
//! the 9 operations must answer, from a few maps and two counters. It knows
//! Logz.io's documented behaviour as the emulator implements it (an unknown
//! id is a 400 whose message says "not found"; ids are never reused) and the
//! emulator's own rules (a filter in use cannot be deleted; a token limit).

use std::collections::BTreeMap;

pub mod answers;

/// The per-account token limit the model test configures.
pub const MAX_TOKENS: usize = 3;

/// Which of the two accounts.
pub type Account = usize;

/// A token as the model keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub name: String,
    pub filters: Vec<i32>,
    pub operator: String,
}

/// A filter as the model keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct Filter {
    pub field: String,
    pub value: String,
    pub description: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct AccountState {
    pub tokens: BTreeMap<i32, Token>,
    pub filters: BTreeMap<i32, Filter>,
}

/// The expected answer: a status and, for 200s, the body's model value.
#[derive(Clone, Debug, PartialEq)]
pub enum Expected {
    TokenList(Vec<(i32, Token)>),
    FilterList(Vec<(i32, Filter)>),
    Token(i32, Token),
    Filter(i32, Filter),
    /// 204 (deleteToken) or 200 with no body (deleteFilter).
    Empty(u16),
    /// 400 because the id names nothing in the caller's account: the
    /// message must say "not found" (the facade classifies on it).
    NotFound,
    /// 400 for any other reason: the message must not say "not found".
    Refused,
    /// 400 whatever the message says (a filter reference that is unknown
    /// or listed twice).
    BadFilters,
}

#[derive(Clone, Debug)]
pub struct Model {
    pub accounts: [AccountState; 2],
    pub next_token_id: i32,
    pub next_filter_id: i32,
    /// Every id ever handed out, in order: steps pick ids from these.
    pub token_ids: Vec<i32>,
    pub filter_ids: Vec<i32>,
}

impl Default for Model {
    fn default() -> Self {
        Self {
            accounts: Default::default(),
            next_token_id: 1,
            next_filter_id: 1,
            token_ids: Vec::new(),
            filter_ids: Vec::new(),
        }
    }
}

impl Model {
    pub fn list_tokens(&self, account: Account) -> Expected {
        let tokens = &self.accounts[account].tokens;
        Expected::TokenList(tokens.iter().map(|(id, t)| (*id, t.clone())).collect())
    }

    pub fn list_filters(&self, account: Account) -> Expected {
        let filters = &self.accounts[account].filters;
        Expected::FilterList(filters.iter().map(|(id, f)| (*id, f.clone())).collect())
    }

    pub fn get_token(&self, account: Account, id: i32) -> Expected {
        match self.accounts[account].tokens.get(&id) {
            Some(token) => Expected::Token(id, token.clone()),
            None => Expected::NotFound,
        }
    }

    pub fn get_filter(&self, account: Account, id: i32) -> Expected {
        match self.accounts[account].filters.get(&id) {
            Some(filter) => Expected::Filter(id, filter.clone()),
            None => Expected::NotFound,
        }
    }

    fn filters_ok(&self, account: Account, filters: &[i32]) -> bool {
        let known = &self.accounts[account].filters;
        filters
            .iter()
            .enumerate()
            .all(|(index, id)| !filters[..index].contains(id) && known.contains_key(id))
    }

    pub fn create_token(
        &mut self,
        account: Account,
        name: &str,
        filters: &[i32],
        operator: Option<&str>,
    ) -> Expected {
        if !self.filters_ok(account, filters) {
            return Expected::BadFilters;
        }
        if self.accounts[account].tokens.len() >= MAX_TOKENS {
            return Expected::Refused;
        }
        let id = self.next_token_id;
        self.next_token_id += 1;
        self.token_ids.push(id);
        let token = Token {
            name: name.to_owned(),
            filters: filters.to_vec(),
            operator: operator.unwrap_or("OR").to_owned(),
        };
        self.accounts[account].tokens.insert(id, token.clone());
        Expected::Token(id, token)
    }

    pub fn update_token(
        &mut self,
        account: Account,
        id: i32,
        filters: &[i32],
        operator: Option<&str>,
    ) -> Expected {
        if !self.accounts[account].tokens.contains_key(&id) {
            return Expected::NotFound;
        }
        if !self.filters_ok(account, filters) {
            return Expected::BadFilters;
        }
        let Some(token) = self.accounts[account].tokens.get_mut(&id) else {
            return Expected::NotFound;
        };
        token.filters = filters.to_vec();
        if let Some(operator) = operator {
            token.operator = operator.to_owned();
        }
        Expected::Token(id, token.clone())
    }

    pub fn delete_token(&mut self, account: Account, id: i32) -> Expected {
        match self.accounts[account].tokens.remove(&id) {
            Some(_) => Expected::Empty(204),
            None => Expected::NotFound,
        }
    }

    pub fn create_filter(&mut self, account: Account, filter: Filter) -> Expected {
        let id = self.next_filter_id;
        self.next_filter_id += 1;
        self.filter_ids.push(id);
        self.accounts[account].filters.insert(id, filter.clone());
        Expected::Filter(id, filter)
    }

    pub fn delete_filter(&mut self, account: Account, id: i32) -> Expected {
        let state = &mut self.accounts[account];
        if !state.filters.contains_key(&id) {
            return Expected::NotFound;
        }
        if state
            .tokens
            .values()
            .any(|token| token.filters.contains(&id))
        {
            return Expected::Refused;
        }
        state.filters.remove(&id);
        Expected::Empty(200)
    }
}
