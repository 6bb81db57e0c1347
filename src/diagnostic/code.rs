//! The registry of diagnostic codes.
//!
//! Codes are a stable interface: users search for them, allow lists name them, tests
//! snapshot them. A code is never reused for another meaning.

/// Every diagnostic comply can emit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// A file could not be read.
    Io,
    /// A rule file does not follow the grammar.
    Syntax,
    /// A date literal names no calendar day.
    InvalidDate,
    /// A duration literal has an unknown unit or does not fit.
    InvalidDuration,
    /// A number literal does not fit.
    InvalidNumber,
    /// A language code is not an ISO 639-1 code.
    UnknownLanguage,
    /// A severity is not one of the five levels.
    UnknownSeverity,
    /// Two declarations share an id.
    Duplicate,
    /// A path names no field, variable or constant.
    UnknownPath,
    /// A type name is not declared.
    UnknownType,
    /// A reference to an obligation that is not loaded.
    UnknownObligation,
    /// A call to a predicate that is not defined.
    UnknownPredicate,
    /// A citation names an instrument that is not declared.
    UnknownInstrument,
    /// A pack requires another pack that is not loaded.
    UnknownPack,
    /// An expression has the wrong type for its place.
    TypeMismatch,
    /// A predicate is called with the wrong number of arguments.
    Arity,
    /// Obligations or predicates refer to each other in a circle.
    Cycle,
    /// A declaration or clause is malformed in a way the grammar cannot see.
    Invalid,
    /// An obligation is declared outside its pack's id space, or outside any pack.
    Misplaced,
    /// A declaration file is not valid YAML or JSON.
    DeclSyntax,
    /// A declaration value has the wrong type.
    DeclType,
    /// A declaration names a field the shape does not have.
    DeclUnknownField,
    /// Two items of one list share a key.
    DeclDuplicateKey,
    /// A declaration date or duration is not valid.
    DeclInvalidValue,
    /// A bad command-line argument.
    Usage,
    /// A fault inside comply itself.
    Internal,
}

impl Code {
    /// The code as users see it.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Io => "comply::io",
            Code::Syntax => "comply::parse::syntax",
            Code::InvalidDate => "comply::parse::invalid_date",
            Code::InvalidDuration => "comply::parse::invalid_duration",
            Code::InvalidNumber => "comply::parse::invalid_number",
            Code::UnknownLanguage => "comply::parse::unknown_language",
            Code::UnknownSeverity => "comply::parse::unknown_severity",
            Code::Duplicate => "comply::check::duplicate",
            Code::UnknownPath => "comply::check::unknown_path",
            Code::UnknownType => "comply::check::unknown_type",
            Code::UnknownObligation => "comply::check::unknown_obligation",
            Code::UnknownPredicate => "comply::check::unknown_predicate",
            Code::UnknownInstrument => "comply::check::unknown_instrument",
            Code::UnknownPack => "comply::check::unknown_pack",
            Code::TypeMismatch => "comply::check::type_mismatch",
            Code::Arity => "comply::check::arity",
            Code::Cycle => "comply::check::cycle",
            Code::Invalid => "comply::check::invalid",
            Code::Misplaced => "comply::check::misplaced",
            Code::DeclSyntax => "comply::decl::syntax",
            Code::DeclType => "comply::decl::type",
            Code::DeclUnknownField => "comply::decl::unknown_field",
            Code::DeclDuplicateKey => "comply::decl::duplicate_key",
            Code::DeclInvalidValue => "comply::decl::invalid_value",
            Code::Usage => "comply::usage",
            Code::Internal => "comply::internal",
        }
    }
}
