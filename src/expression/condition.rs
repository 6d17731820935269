//! The condition tree.

use crate::attribute::AttributeValue;
use crate::error::AttributeError;

/// A path to an attribute: a top-level name, possibly followed by map keys
/// and list indexes (`a.b[0]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    pub(crate) segments: Vec<PathSegment>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PathSegment {
    Name(String),
    Index(usize),
}

impl Path {
    /// The top-level attribute the path starts at, and whether it is that
    /// attribute itself (not a part inside it).
    pub(crate) fn top_attribute(&self) -> Option<(&str, bool)> {
        match self.segments.first() {
            Some(PathSegment::Name(name)) => Some((name, self.segments.len() == 1)),
            _ => None,
        }
    }

    /// A top-level attribute.
    pub fn attribute(name: impl Into<String>) -> Self {
        Path {
            segments: vec![PathSegment::Name(name.into())],
        }
    }

    /// A key inside the map at this path.
    pub fn key(mut self, name: impl Into<String>) -> Self {
        self.segments.push(PathSegment::Name(name.into()));
        self
    }

    /// An element of the list at this path.
    pub fn index(mut self, index: usize) -> Self {
        self.segments.push(PathSegment::Index(index));
        self
    }
}

impl std::fmt::Display for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                PathSegment::Name(name) if i == 0 => f.write_str(name)?,
                PathSegment::Name(name) => write!(f, ".{name}")?,
                PathSegment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// A DynamoDB attribute type, for `attribute_type` conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeType {
    /// `S`
    String,
    /// `N`
    Number,
    /// `B`
    Binary,
    /// `BOOL`
    Bool,
    /// `NULL`
    Null,
    /// `SS`
    StringSet,
    /// `NS`
    NumberSet,
    /// `BS`
    BinarySet,
    /// `L`
    List,
    /// `M`
    Map,
}

impl AttributeType {
    /// The DynamoDB type descriptor.
    pub fn descriptor(self) -> &'static str {
        match self {
            AttributeType::String => "S",
            AttributeType::Number => "N",
            AttributeType::Binary => "B",
            AttributeType::Bool => "BOOL",
            AttributeType::Null => "NULL",
            AttributeType::StringSet => "SS",
            AttributeType::NumberSet => "NS",
            AttributeType::BinarySet => "BS",
            AttributeType::List => "L",
            AttributeType::Map => "M",
        }
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Comparison {
    pub(crate) fn operator(self) -> &'static str {
        match self {
            Comparison::Eq => "=",
            Comparison::Ne => "<>",
            Comparison::Lt => "<",
            Comparison::Le => "<=",
            Comparison::Gt => ">",
            Comparison::Ge => ">=",
        }
    }
}

/// A condition on an item, for conditional writes and scan/query filters.
///
/// Build conditions from a model's typed fields (`Model::fields()`); the raw
/// constructors here take attribute values as they are stored.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Condition {
    /// `path op value`
    Compare(Path, Comparison, AttributeValue),
    /// `path BETWEEN low AND high`
    Between(Path, AttributeValue, AttributeValue),
    /// `path IN (values)`
    In(Path, Vec<AttributeValue>),
    /// `begins_with(path, prefix)`
    BeginsWith(Path, AttributeValue),
    /// `contains(path, value)`
    Contains(Path, AttributeValue),
    /// `size(path) op n`: the length of a string, binary, set, list or map.
    Size(Path, Comparison, u64),
    /// `attribute_type(path, type)`
    HasType(Path, AttributeType),
    /// `attribute_exists(path)`
    Exists(Path),
    /// `attribute_not_exists(path)`
    NotExists(Path),
    /// All of these hold (true when empty).
    And(Vec<Condition>),
    /// Any of these holds.
    Or(Vec<Condition>),
    /// This does not hold.
    Not(Box<Condition>),
    /// A value that could not be encoded; compiling the condition reports it.
    Invalid(Box<AttributeError>),
}

impl Condition {
    /// The top-level attribute names the condition reads.
    pub(crate) fn attribute_names(&self) -> Vec<&str> {
        let mut names = Vec::new();
        self.collect_names(&mut names);
        names
    }

    fn collect_names<'a>(&'a self, names: &mut Vec<&'a str>) {
        let path = match self {
            Condition::Compare(p, ..)
            | Condition::Between(p, ..)
            | Condition::In(p, _)
            | Condition::BeginsWith(p, _)
            | Condition::Contains(p, _)
            | Condition::Size(p, ..)
            | Condition::HasType(p, _)
            | Condition::Exists(p)
            | Condition::NotExists(p) => p,
            Condition::And(parts) | Condition::Or(parts) => {
                parts.iter().for_each(|part| part.collect_names(names));
                return;
            }
            Condition::Not(inner) => return inner.collect_names(names),
            Condition::Invalid(_) => return,
        };
        if let Some(PathSegment::Name(name)) = path.segments.first() {
            names.push(name);
        }
    }

    /// Both this and `other` hold.
    pub fn and(self, other: Condition) -> Condition {
        match self {
            Condition::And(mut all) => {
                all.push(other);
                Condition::And(all)
            }
            first => Condition::And(vec![first, other]),
        }
    }

    /// This or `other` holds.
    pub fn or(self, other: Condition) -> Condition {
        match self {
            Condition::Or(mut any) => {
                any.push(other);
                Condition::Or(any)
            }
            first => Condition::Or(vec![first, other]),
        }
    }

    /// The negation of this condition.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Condition {
        Condition::Not(Box::new(self))
    }
}
