//! The index schema: stored article fields, filter fields, and one indexed text field per
//! language for titles and bodies (each analysed by that language's tokenizer).

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, STORED, STRING,
};

use crate::analysis::tokenizer_name;
use crate::error::{Error, Result};
use crate::lang::Lang;

/// Version of the on-disk layout; bumped when the schema or the analysis changes so that an
/// index built by another version is rebuilt rather than misread.
pub const FORMAT_VERSION: u32 = 7;

/// Handles to the schema's fields.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Article id (indexed as one term, stored).
    pub id: Field,
    /// Language as 0/1/2 ([`Lang::index`]); fast, for filters and facets.
    pub lang: Field,
    /// Date (fast and indexed, for range filters).
    pub date: Field,
    /// The date as given in the input.
    pub date_text: Field,
    /// Source name.
    pub source: Field,
    /// Original URL.
    pub url: Field,
    /// Title fields, by [`Lang::index`].
    pub title: [Field; 3],
    /// Body fields, by [`Lang::index`].
    pub body: [Field; 3],
}

/// Builds the schema.
pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |lang: Lang| {
        TextOptions::default().set_stored().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer_name(lang))
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let id = b.add_text_field("id", STRING | STORED);
    let lang = b.add_u64_field(
        "lang",
        NumericOptions::default()
            .set_indexed()
            .set_fast()
            .set_stored(),
    );
    let date = b.add_date_field(
        "date",
        DateOptions::default()
            .set_indexed()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    let date_text = b.add_text_field("date_text", STORED);
    let source = b.add_text_field("source", STORED);
    let url = b.add_text_field("url", STORED);
    let title = Lang::ALL.map(|l| b.add_text_field(&format!("title_{l}"), text(l)));
    let body = Lang::ALL.map(|l| b.add_text_field(&format!("body_{l}"), text(l)));
    let fields = Fields {
        id,
        lang,
        date,
        date_text,
        source,
        url,
        title,
        body,
    };
    (b.build(), fields)
}

/// Finds the fields in an opened index's schema.
pub fn fields_of(schema: &Schema) -> Result<Fields> {
    let get = |name: &str| {
        schema.get_field(name).map_err(|_| {
            Error::Tantivy(tantivy::TantivyError::SchemaError(format!(
                "field {name:?} is missing: the index was built by another version; run `kazsearch index` again"
            )))
        })
    };
    let langs = |prefix: &str| -> Result<[Field; 3]> {
        Ok([
            get(&format!("{prefix}_kk"))?,
            get(&format!("{prefix}_ru"))?,
            get(&format!("{prefix}_en"))?,
        ])
    };
    Ok(Fields {
        id: get("id")?,
        lang: get("lang")?,
        date: get("date")?,
        date_text: get("date_text")?,
        source: get("source")?,
        url: get("url")?,
        title: langs("title")?,
        body: langs("body")?,
    })
}
