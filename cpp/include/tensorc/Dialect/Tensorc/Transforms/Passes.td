// Graph optimizations on tensorc ops, in pipeline order (tensorc-optimize in Pipelines/Pipelines.cpp):
//   tensorc-canonicalize -> tensorc-merge -> tensorc-stabilize -> tensorc-specialize.
// Each description shows the rewrite on a small example; tests/mlir/Dialect/Tensorc/Transforms has a
// FileCheck test per pass with cases that must fire and cases that must not.
#ifndef TENSORC_DIALECT_TENSORC_TRANSFORMS_PASSES_TD
#define TENSORC_DIALECT_TENSORC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def Canonicalize : Pass<"tensorc-canonicalize"> {
  let summary = "Algebraic simplification and constant folding of tensorc ops";
  let description = [{
    Runs tensorc's simplifications together with every op's folders and canonicalization patterns
    (upstream's too), to a fixed point. A rewrite applies only when the result keeps the original's
    type (no rewrite may change a broadcast shape).

    ```
    x + 0 -> x            x * 1 -> x            x - 0 -> x        x / 1 -> x
    -(-x) -> x            log(exp(x)) -> x      exp(log(x)) -> x  only when x >= 0 is known
    b * a -> a * b        (commutative operands in a canonical order, so merge sees them as equal)
    f(constants) -> constant    (elementwise ops on splat / small constants are folded)
    ```
  }];
  let options = [
    ListOption<"disabledPatterns", "disable-patterns", "std::string",
               "Rewrites (by name) that must not be applied">,
    ListOption<"enabledPatterns", "enable-patterns", "std::string",
               "If given, only these rewrites (by name) are applied">,
  ];
}

def Merge : Pass<"tensorc-merge"> {
  let summary = "Merge identical subexpressions and drop dead ones (Theano's MergeOptimizer)";
  let description = [{
    Common subexpression elimination over the (canonicalized) graph: two ops with the same name,
    attributes and operands are one op; ops whose results nobody uses disappear.

    ```mlir
    %0 = tensorc.mul %a, %b      %0 = tensorc.mul %a, %b
    %1 = tensorc.mul %a, %b  ->  %2 = tensorc.add %0, %0
    %2 = tensorc.add %0, %1
    ```
  }];
}

def Stabilize : Pass<"tensorc-stabilize"> {
  let summary = "Rewrite numerically unstable expressions into stable equivalents";
  let description = [{
    Each rewrite replaces an expression that overflows, underflows or cancels in floating point by
    an equivalent that does not; the new ops keep the source location of the expression they replace.

    ```
    log(softmax(x))                    -> log_softmax(x)      (also through gather / transpose / slices)
    x - logsumexp(x, keepdims)         -> log_softmax(x)
    log(sum(exp(x)))                   -> logsumexp(x)        (max-shifted)
    exp(x) / sum(exp(x), keepdims)     -> softmax(x)          (also max-shifted: e = exp(x - max(x));
                                                               the sum kept by keepdims, [:, None] or
                                                               .reshape(-1, 1))
    softmax(x - max(x, a), a)          -> softmax(x, a)
    1 / (1 + exp(-x)), (1+exp(-x))**-1 -> sigmoid(x)
    log(exp(a) + exp(b))               -> where(a == b, a + log 2, max(a, b) + softplus(-|a - b|))
    log(1 + x)                         -> log1p(x)
    exp(x) - 1                         -> expm1(x)
    log(sigmoid(x))                    -> -softplus(-x)
    log(1 - sigmoid(x))                -> -softplus(x)
    1 - sigmoid(x)                     -> sigmoid(-x)
    exp(x) / (1 + exp(x))              -> sigmoid(x)
    log1p(exp(x))                      -> softplus(x)
    log(1 - exp(x)), log(-expm1(x))    -> log1mexp(x)
    -log_softmax(x)[arange(n), y]      -> softmax_cross_entropy(x, y)   (never forms log(0))
    ```

    On a row holding +inf the spelled softmax becomes softmax's value (nan for the row, as SciPy)
    where the naive formula gives nan beside zeros: the cost of recognizing it. The max-shifted
    spellings of log_softmax and logsumexp keep their shift (log_softmax(x - m), logsumexp(x - m) + m):
    dropping it would turn NumPy's nan on rows holding +inf (or only -inf) into SciPy's -inf / +inf.

    exp(log_softmax(x)) stays as written: it is stable already, and softmax is not its equal on a row
    holding +inf (SciPy's log_softmax gives nan there and -inf elsewhere, so exp gives 0 beside the
    nan; softmax gives nan for the whole row; fuzz seed 14206).
  }];
  let options = [
    ListOption<"disabledPatterns", "disable-patterns", "std::string",
               "Rewrites (by name) that must not be applied">,
    ListOption<"enabledPatterns", "enable-patterns", "std::string",
               "If given, only these rewrites (by name) are applied">,
  ];
}

def Specialize : Pass<"tensorc-specialize"> {
  let summary = "Replace general ops by cheaper special cases";
  let description = [{
    ```
    x ** 2 -> x * x        x ** 0.5 -> sqrt(x)     x ** 1 -> x      x ** -1 -> 1 / x
    x / c  -> x * (1 / c)  for a float constant c (exact when 1/c is exact)
    ```
  }];
  let options = [
    ListOption<"disabledPatterns", "disable-patterns", "std::string",
               "Rewrites (by name) that must not be applied">,
    ListOption<"enabledPatterns", "enable-patterns", "std::string",
               "If given, only these rewrites (by name) are applied">,
  ];
}

#endif // TENSORC_DIALECT_TENSORC_TRANSFORMS_PASSES_TD
