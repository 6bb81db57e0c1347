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
    /// A waiver file is malformed or names an obligation that is not loaded.
    WaiverInvalid,
    /// A waiver has expired and waives nothing.
    WaiverExpired,
    /// A waiver matches no failing result.
    WaiverUnused,
    /// A waiver expires within 30 days.
    WaiverExpiring,
    /// A baseline file is not an earlier JSON report.
    BaselineInvalid,
    /// A bad command-line argument.
    Usage,
    /// An input nests deeper than comply accepts.
    Limit,
    /// A fault inside comply itself.
    Internal,
    /// Lint: an obligation cites no provision.
    LintMissingCitation,
    /// Lint: a text has no French version.
    LintMissingFrench,
    /// Lint: a `define` that no obligation uses.
    LintUnusedDefine,
    /// Lint: an obligation that no rule test expects.
    LintUntestedObligation,
    /// Lint: a `require` with no `else` message.
    LintMissingMessage,
    /// Lint: a condition that can never hold.
    LintImpossibleCondition,
    /// Lint: the same condition written twice in one obligation.
    LintDuplicateCondition,
    /// Lint: a prerequisite that is not in force whenever its dependent is.
    LintDependencyNotInForce,
    /// Lint: an allow comment names no lint.
    LintUnknownAllow,
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
            Code::WaiverInvalid => "comply::waiver::invalid",
            Code::WaiverExpired => "comply::waiver::expired",
            Code::WaiverUnused => "comply::waiver::unused",
            Code::WaiverExpiring => "comply::waiver::expiring",
            Code::BaselineInvalid => "comply::baseline::invalid",
            Code::Usage => "comply::usage",
            Code::Limit => "comply::limit",
            Code::Internal => "comply::internal",
            Code::LintMissingCitation => "comply::lint::missing-citation",
            Code::LintMissingFrench => "comply::lint::missing-french",
            Code::LintUnusedDefine => "comply::lint::unused-define",
            Code::LintUntestedObligation => "comply::lint::untested-obligation",
            Code::LintMissingMessage => "comply::lint::missing-message",
            Code::LintImpossibleCondition => "comply::lint::impossible-condition",
            Code::LintDuplicateCondition => "comply::lint::duplicate-condition",
            Code::LintDependencyNotInForce => "comply::lint::dependency-not-in-force",
            Code::LintUnknownAllow => "comply::lint::unknown-allow",
        }
    }
}
