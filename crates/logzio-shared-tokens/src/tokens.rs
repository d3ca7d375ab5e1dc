//! Shared-token operations: `client.tokens().…`.
//!
//! Each method sends one spec operation through [`Client::execute`] and
//! returns the generated types; nothing here re-declares a request or
//! response shape. It must never log or format a token value.

use logzio_shared_tokens_api::types::{
    CreateSharedTokenRequest, CreateSharedTokenRequestTokenName, FiltersOperator, SharedToken,
    UpdateSharedTokenRequest,
};

use logzio_shared_tokens_api::operations::Operation;

use crate::call_future::await_by_send;
use crate::client::Client;
use crate::{Ensured, Error};

/// The shared tokens of the client's account. Get one with [`Client::tokens`].
#[derive(Clone, Debug)]
pub struct Tokens {
    client: Client,
}

impl Tokens {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Every shared token of the account (`getAllTokens`).
    pub async fn list(&self) -> Result<Vec<SharedToken>, Error> {
        self.client
            .execute(
                Operation::GetAllTokens,
                self.client.raw().get_all_tokens().send(),
            )
            .await
    }

    /// One shared token (`getToken`); [`Error::NotFound`] if there is none with this id.
    pub async fn get(&self, id: i32) -> Result<SharedToken, Error> {
        self.client
            .execute(
                Operation::GetToken,
                self.client.raw().get_token().id(id).send(),
            )
            .await
    }

    /// Starts creating a token named `name` (`createToken`); add filters and
    /// an operator, then `.send().await` (or just `.await`).
    pub fn create(&self, name: impl Into<String>) -> CreateToken {
        CreateToken {
            client: self.client.clone(),
            name: name.into(),
            filters: Vec::new(),
            operator: None,
        }
    }

    /// Starts replacing the filters of token `id` (`updateToken`); an empty
    /// list removes every filter. Optionally set the operator, then `.send().await`.
    pub fn update(&self, id: i32, filters: impl IntoIterator<Item = i32>) -> UpdateToken {
        UpdateToken {
            client: self.client.clone(),
            id,
            filters: unique(filters),
            operator: None,
        }
    }

    /// Deletes token `id` (`deleteToken`); dashboards shared with it stop working.
    pub async fn delete(&self, id: i32) -> Result<(), Error> {
        self.client
            .execute(
                Operation::DeleteToken,
                self.client.raw().delete_token().id(id).send(),
            )
            .await
    }

    /// The token named exactly `name`, if any (the lowest id when several
    /// share the name). Lists all tokens: one request.
    pub async fn find_by_name(&self, name: &str) -> Result<Option<SharedToken>, Error> {
        let tokens = self.list().await?;
        Ok(tokens
            .into_iter()
            .filter(|token| token.name.as_deref() == Some(name))
            .min_by_key(|token| token.id))
    }

    /// Starts a get-or-create by name: returns the existing token named
    /// `name` untouched, or creates it with the filters and operator given.
    /// Safe to re-run; not atomic against a concurrent creator of the same name.
    pub fn get_or_create(&self, name: impl Into<String>) -> GetOrCreateToken {
        GetOrCreateToken {
            create: self.create(name),
        }
    }
}

/// Deduplicates filter ids, keeping their first order (the spec says `uniqueItems`).
fn unique(ids: impl IntoIterator<Item = i32>) -> Vec<i32> {
    let mut seen = Vec::new();
    for id in ids {
        if !seen.contains(&id) {
            seen.push(id);
        }
    }
    seen
}

/// A `createToken` call being built: see [`Tokens::create`].
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct CreateToken {
    client: Client,
    name: String,
    filters: Vec<i32>,
    operator: Option<FiltersOperator>,
}

impl CreateToken {
    /// Ids of existing filters to attach (duplicates are dropped).
    pub fn filters(mut self, ids: impl IntoIterator<Item = i32>) -> Self {
        self.filters = unique(ids);
        self
    }

    /// How the filters combine (the server's default is `OR`).
    pub fn operator(mut self, operator: FiltersOperator) -> Self {
        self.operator = Some(operator);
        self
    }

    fn body(&self) -> Result<CreateSharedTokenRequest, Error> {
        let token_name = CreateSharedTokenRequestTokenName::try_from(self.name.as_str())
            .map_err(|error| Error::invalid("name", error.to_string()))?;
        Ok(CreateSharedTokenRequest {
            token_name,
            filters: (!self.filters.is_empty()).then(|| self.filters.clone()),
            filters_operator: self.operator,
        })
    }

    /// Sends the request. Retried only when the server answered 503 or 429;
    /// after a timeout the token may or may not exist (see [`crate::RetryPolicy`]).
    pub async fn send(self) -> Result<SharedToken, Error> {
        let body = self.body()?;
        self.client
            .execute(
                Operation::CreateToken,
                self.client.raw().create_token().body(body).send(),
            )
            .await
    }
}

await_by_send!(CreateToken => SharedToken);

/// An `updateToken` call being built: see [`Tokens::update`].
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct UpdateToken {
    client: Client,
    id: i32,
    filters: Vec<i32>,
    operator: Option<FiltersOperator>,
}

impl UpdateToken {
    /// How the filters combine; unchanged when not set.
    pub fn operator(mut self, operator: FiltersOperator) -> Self {
        self.operator = Some(operator);
        self
    }

    /// Sends the request (idempotent: retried on every retryable failure).
    pub async fn send(self) -> Result<SharedToken, Error> {
        let body = UpdateSharedTokenRequest {
            filters: self.filters,
            filters_operator: self.operator,
        };
        let id = self.id;
        self.client
            .execute(
                Operation::UpdateToken,
                self.client.raw().update_token().id(id).body(body).send(),
            )
            .await
    }
}

await_by_send!(UpdateToken => SharedToken);

/// A get-or-create by name being built: see [`Tokens::get_or_create`].
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct GetOrCreateToken {
    create: CreateToken,
}

impl GetOrCreateToken {
    /// Filters for the token if it has to be created.
    pub fn filters(mut self, ids: impl IntoIterator<Item = i32>) -> Self {
        self.create = self.create.filters(ids);
        self
    }

    /// Operator for the token if it has to be created.
    pub fn operator(mut self, operator: FiltersOperator) -> Self {
        self.create = self.create.operator(operator);
        self
    }

    /// Looks the name up, and creates the token only if it is absent.
    pub async fn send(self) -> Result<Ensured<SharedToken>, Error> {
        // Validate before listing, so bad input costs no request.
        self.create.body()?;
        let tokens = Tokens::new(self.create.client.clone());
        if let Some(existing) = tokens.find_by_name(&self.create.name).await? {
            return Ok(Ensured::Existing(existing));
        }
        self.create.send().await.map(Ensured::Created)
    }
}

await_by_send!(GetOrCreateToken => Ensured<SharedToken>);
