package sqlguard

import (
	"strings"

	"github.com/antlr/antlr4/runtime/Go/antlr"

	tp "github.com/askdb/askdb/internal/sqlguard/trinoparser"
)

// trinoCallName names the function that a call written with its own
// syntax resolves to in Trino, so that the allowlist sees every call:
// CAST(x AS t), TRIM(BOTH FROM s), POSITION(a IN b) (strpos),
// x AT TIME ZONE z (at_timezone), a || b (concat), CURRENT_DATE and the rest.
func trinoCallName(n antlr.ParserRuleContext) (string, bool) {
	switch n := n.(type) {
	case *tp.CastContext:
		if n.TRY_CAST_() != nil {
			return "try_cast", true
		}
		return "cast", true
	case *tp.SpecialDateTimeFunctionContext:
		return strings.ToLower(n.GetName().GetText()), true
	case *tp.ListaggContext:
		return "listagg", true
	case *tp.PositionContext:
		return "strpos", true
	case *tp.TrimContext:
		return "trim", true
	case *tp.SubstringContext:
		return "substring", true
	case *tp.NormalizeContext:
		return "normalize", true
	case *tp.ExtractContext:
		return "extract", true
	case *tp.CurrentUserContext:
		return "current_user", true
	case *tp.CurrentCatalogContext:
		return "current_catalog", true
	case *tp.CurrentSchemaContext:
		return "current_schema", true
	case *tp.CurrentPathContext:
		return "current_path", true
	case *tp.JsonExistsContext:
		return "json_exists", true
	case *tp.JsonValueContext:
		return "json_value", true
	case *tp.JsonQueryContext:
		return "json_query", true
	case *tp.JsonObjectContext:
		return "json_object", true
	case *tp.JsonArrayContext:
		return "json_array", true
	case *tp.AtTimeZoneContext:
		return "at_timezone", true
	case *tp.ConcatenationContext:
		return "concat", true
	}
	return "", false
}

// trinoAllowed lists the parse-tree nodes a read-only query is made of that
// need no check of their own (the nodes that do are handled in enter).
// A node type missing here is refused, so a grammar update that adds
// syntax adds refusals until it is reviewed and listed.
func trinoAllowed(n antlr.ParserRuleContext) bool {
	switch n.(type) {
	// Statement structure (trinoStatement has checked it).
	case *tp.ParseContext, *tp.StatementsContext, *tp.SingleStatementContext, *tp.StatementDefaultContext:
	// Queries.
	case *tp.NamedQueryContext, *tp.QueryNoWithContext, *tp.LimitRowCountContext,
		*tp.QueryTermDefaultContext, *tp.SetOperationContext, *tp.QueryPrimaryDefaultContext,
		*tp.InlineTableContext, *tp.SubqueryContext, *tp.SortItemContext, *tp.QuerySpecificationContext,
		*tp.GroupByContext, *tp.SingleGroupingSetContext, *tp.RollupContext, *tp.CubeContext,
		*tp.MultipleGroupingSetsContext, *tp.GroupingSetContext, *tp.WindowDefinitionContext,
		*tp.WindowSpecificationContext, *tp.SetQuantifierContext, *tp.SelectSingleContext:
	// Relations.
	case *tp.RelationDefaultContext, *tp.JoinTypeContext,
		*tp.SampledRelationContext, *tp.SampleTypeContext, *tp.AliasedRelationContext,
		*tp.ColumnAliasesContext, *tp.QueryPeriodContext, *tp.RangeTypeContext,
		*tp.SubqueryRelationContext, *tp.ParenthesizedRelationContext, *tp.UnnestContext, *tp.LateralContext:
	// Expressions and predicates.
	case *tp.ExpressionContext, *tp.PredicatedContext, *tp.LogicalNotContext, *tp.AndContext, *tp.OrContext,
		*tp.ComparisonContext, *tp.QuantifiedComparisonContext, *tp.BetweenContext, *tp.InListContext,
		*tp.InSubqueryContext, *tp.LikeContext, *tp.NullPredicateContext, *tp.DistinctFromContext,
		*tp.ValueExpressionDefaultContext, *tp.ArithmeticUnaryContext, *tp.ArithmeticBinaryContext,
		*tp.NullLiteralContext, *tp.IntervalLiteralContext, *tp.TypeConstructorContext,
		*tp.NumericLiteralContext, *tp.BooleanLiteralContext, *tp.StringLiteralContext,
		*tp.BinaryLiteralContext, *tp.RowConstructorContext, *tp.LambdaContext,
		*tp.SubqueryExpressionContext, *tp.ExistsContext, *tp.SimpleCaseContext, *tp.SearchedCaseContext,
		*tp.ArrayConstructorContext, *tp.SubscriptContext, *tp.DereferenceContext,
		*tp.ParenthesizedExpressionContext, *tp.WhenClauseContext, *tp.FilterContext, *tp.OverContext,
		*tp.WindowFrameContext, *tp.FrameExtentContext, *tp.UnboundedFrameContext,
		*tp.CurrentRowBoundContext, *tp.BoundedFrameContext, *tp.NullTreatmentContext,
		*tp.TrimsSpecificationContext, *tp.ListAggOverflowBehaviorContext, *tp.ListaggCountIndicationContext:
	// JSON function clauses.
	case *tp.JsonPathInvocationContext, *tp.JsonValueExpressionContext, *tp.JsonRepresentationContext,
		*tp.JsonArgumentContext, *tp.JsonExistsErrorBehaviorContext, *tp.JsonValueBehaviorContext,
		*tp.JsonQueryWrapperBehaviorContext, *tp.JsonQueryBehaviorContext, *tp.JsonObjectMemberContext:
	// Literals, types and names.
	case *tp.BasicStringLiteralContext, *tp.UnicodeStringLiteralContext, *tp.TimeZoneIntervalContext,
		*tp.TimeZoneStringContext, *tp.ComparisonOperatorContext, *tp.ComparisonQuantifierContext,
		*tp.BooleanValueContext, *tp.IntervalContext, *tp.IntervalFieldContext, *tp.NormalFormContext,
		*tp.RowTypeContext, *tp.IntervalTypeContext, *tp.ArrayTypeContext, *tp.DoublePrecisionTypeContext,
		*tp.LegacyArrayTypeContext, *tp.GenericTypeContext, *tp.DateTimeTypeContext, *tp.LegacyMapTypeContext,
		*tp.RowFieldContext, *tp.TypeParameterContext, *tp.QualifiedNameContext,
		*tp.UnquotedIdentifierContext, *tp.QuotedIdentifierContext, *tp.NonReservedContext,
		*tp.DecimalLiteralContext, *tp.DoubleLiteralContext, *tp.IntegerLiteralContext:
	default:
		return false
	}
	return true
}
