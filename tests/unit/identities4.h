/* identities4.h: more reference rows of derivative identities for the tuned
 * table, written on 2026-12-07 from the literature, before mcd was run on
 * any of them:
 *  - the Matrix Cookbook (Petersen and Pedersen, version 2012), sections 2
 *    and 9: determinants (2.1.1, the matrix determinant lemma, Schur
 *    complements), inverses (2.2, rank-one and low-rank updates), traces
 *    (2.5, projections, diagonal matrices), quadratic and quartic forms
 *    (2.4), norms (2.6, 2.7);
 *  - Magnus and Neudecker, Matrix Differential Calculus (3rd ed.), Ch. 2, 3,
 *    8, 9: vec(A X B) = (B^T kron A) vec(X), (A kron B) vec(X) =
 *    vec(B X A^T), vec(a kron X) and vec(X kron a), the Cayley transform,
 *    Hadamard products as diag(vec(.)); Horn and Johnson (Topics, 5.1) for
 *    tr(diag(x) A diag(y) B^T) = x^T (A .* B) y; Golub and Pereyra (1973)
 *    for the differential of a projector;
 *  - optimisation: Boyd and Vandenberghe (11.6: barriers), Nocedal
 *    and Wright (3.1: line search), Golub and Van Loan (total least squares);
 *  - machine learning: Bishop PRML (2.3, 3.1, 4.1, 4.3, 5.3, 6.1, 6.2,
 *    12.2), Murphy PML (6.2, 10.3), Goodfellow et al. (6.3, 6.5, 7.8, 14,
 *    20.2), Anderson (multivariate regression), and the usual objectives:
 *    exponential-family GLMs, robust, group and proximal least squares,
 *    heteroscedastic Gaussian likelihoods,
 *    multinomial regression with weight decay, temperature scaling (Guo et
 *    al. 2017), distillation (Hinton et al. 2015), KL of a softmax, InfoNCE
 *    (van den Oord et al. 2018), skip-gram with negative sampling (Mikolov
 *    et al. 2013), Fisher LDA, CCA (Hotelling 1936), trace ratio (Wang et al.
 *    2007), kernel ridge, probabilistic PCA (Tipping and Bishop 1999),
 *    infomax ICA (Bell and Sejnowski 1995), RBM free energy, KL-NMF (Lee and
 *    Seung 2001), Tucker factorisation (Kolda and Bader 2009), residual
 *    blocks (He et al. 2016), swish (Ramachandran et al. 2017), tied
 *    autoencoders, 2- and 3-layer networks with tanh, relu, softplus and
 *    softmax.
 * The format and the conventions are those of identities.h (same Identity
 * type, defined there): num is the numerator-layout answer, den the
 * denominator layout; a variable declared symmetric is differentiated as if
 * its entries were independent.  Every answer was derived by hand and
 * checked, in both layouts, with mcd --expect (standard output thrown away,
 * so that mcd's own form was never seen).
 *
 * identities_extra[] joins the tuned table (like identities[] and
 * identities_more[]): the simplifier's developers look at mcd's answers on
 * these rows.
 * Included by test_identities.c after identities3.h. */
#ifndef MCD_TEST_IDENTITIES4_H
#define MCD_TEST_IDENTITIES4_H

static const Identity identities_extra[] = {
	/* --- Cookbook 2.1.1: determinants --- */
	{ "", "sqrt(det(X^T X))", "X", "sqrt(det(X^T X)) (X^T X)^-1 X^T", "sqrt(det(X^T X)) X (X^T X)^-1",
	  "Cookbook 2.1.1: det(X^T X), chain rule: the Gram volume" },
	{ "", "det(A + x y^T)", "y", "det(A + x y^T) x^T (A + x y^T)^-T", "det(A + x y^T) (A + x y^T)^-1 x",
	  "Cookbook 2.1.1: d det(Y) = det(Y) tr(Y^-1 dY), a rank-one update" },
	{ "", "logdet(A + diag(x))", "x", "diag((A + diag(x))^-1)^T", "diag((A + diag(x))^-1)",
	  "Cookbook 2.1.1: ln det of a diagonal loading (Boyd-Vandenberghe 11.6, LMI barrier)" },
	{ "", "det(diag(x))", "x", "det(diag(x)) (ones ./ x)^T", "det(diag(x)) (ones ./ x)",
	  "Cookbook 2.1.1: det(X) of a diagonal matrix, the product of the entries" },
	{ "A:matrix(n,n);B:matrix(n,p);C:matrix(p,n);D:matrix(p,p)", "logdet(D - C A^-1 B)", "A",
	  "A^-1 B (D - C A^-1 B)^-1 C A^-1", "A^-T C^T (D - C A^-1 B)^-T B^T A^-T",
	  "Cookbook 2.1.1 and 2.2: ln det of a Schur complement (Cookbook 9.1.2)" },
	{ "A:symmetric", "log(1 + x^T A^-1 x)", "x", "2 x^T A^-1 / (1 + x^T A^-1 x)", "2 A^-1 x / (1 + x^T A^-1 x)",
	  "matrix determinant lemma: ln det(A + x x^T) - ln det(A) (Cookbook 2.1.1)" },
	{ "B:symmetric;S:symmetric", "logdet(B + X S X^T)", "S", "X^T (B + X S X^T)^-1 X", "X^T (B + X S X^T)^-1 X",
	  "Cookbook 2.1.1: ln det(B + X S X^T) by S, a linear-Gaussian marginal covariance (Bishop PRML 2.115)" },

	/* --- Cookbook 2.2 and 2.5: inverses and traces --- */
	{ "", "tr((A + U V^T)^-1)", "U", "-V^T (A + U V^T)^-2", "-((A + U V^T)^-2)^T V",
	  "Cookbook 2.2: d(Y^-1) = -Y^-1 dY Y^-1, a low-rank update" },
	{ "A:symmetric", "(A + x x^T)^-1 b", "x",
	  "-(x^T (A + x x^T)^-1 b) (A + x x^T)^-1 - (A + x x^T)^-1 x b^T (A + x x^T)^-1",
	  "-(x^T (A + x x^T)^-1 b) (A + x x^T)^-1 - (A + x x^T)^-1 b x^T (A + x x^T)^-1",
	  "Cookbook 2.2: d(Y^-1) = -Y^-1 dY Y^-1, Y = A + x x^T" },
	{ "A:symmetric;B:symmetric;C:symmetric", "tr((A + X^T C X)^-1 X^T B X)", "X",
	  "2 (A + X^T C X)^-1 X^T B - 2 (A + X^T C X)^-1 X^T B X (A + X^T C X)^-1 X^T C",
	  "2 B X (A + X^T C X)^-1 - 2 C X (A + X^T C X)^-1 X^T B X (A + X^T C X)^-1",
	  "Cookbook 2.5.4: Tr((A + X^T C X)^-1 (X^T B X)), B and C symmetric" },
	{ "X:matrix(m,n);A:symmetric", "tr(X (X^T X)^-1 X^T A)", "X",
	  "2 (X^T X)^-1 X^T A (I_m - X (X^T X)^-1 X^T)", "2 (I_m - X (X^T X)^-1 X^T) A X (X^T X)^-1",
	  "Golub-Pereyra 1973: the differential of a projector, in a trace (subspace fitting)" },
	{ "", "||X^-1||_F^2", "X", "-2 X^-1 X^-T X^-1", "-2 X^-T X^-1 X^-T", "Cookbook 2.2 and 2.7: ||X^-1||_F^2" },
	{ "", "tr(A diag(x) B diag(x))", "x", "x^T (A .* B^T + A^T .* B)", "(A .* B^T + A^T .* B) x",
	  "Horn-Johnson (Topics) 5.1: tr(diag(x) A diag(y) B^T) = x^T (A .* B) y" },
	{ "", "tr(diag(x) A)", "x", "diag(A)^T", "diag(A)", "Cookbook 2.5.1: Tr(X A), X diagonal" },

	/* --- by a scalar --- */
	{ "", "(A + alpha B)^T (A + alpha B)", "alpha", "B^T (A + alpha B) + (A + alpha B)^T B",
	  "(A + alpha B)^T B + B^T (A + alpha B)", "Wikipedia matrix-by-scalar: U^T V, product rule (a Gram matrix)" },
	{ "", "(I - alpha A)^3 x", "alpha", "-3 A (I - alpha A)^2 x", "-3 x^T (I - alpha A^T)^2 A^T",
	  "three gradient steps on a quadratic, by the step size (Goodfellow et al. 7.8)" },
	{ "", "||A (x + alpha p) - b||^2", "alpha", "2 (A (x + alpha p) - b)^T A p", "2 (A (x + alpha p) - b)^T A p",
	  "Nocedal-Wright 3.1: phi'(alpha) = grad f(x + alpha p)^T p, least squares" },

	/* --- Cookbook 2.4, 2.6, 2.7: forms and norms --- */
	{ "A:symmetric;B:symmetric", "(x^T A x) (x^T B x)", "x", "2 (x^T B x) x^T A + 2 (x^T A x) x^T B",
	  "2 (x^T B x) A x + 2 (x^T A x) B x", "Cookbook 2.4.2: x^T B x, product rule (a quartic form)" },
	{ "", "log(1 + ||x||^2)", "x", "2 x^T / (1 + ||x||^2)", "2 x / (1 + ||x||^2)",
	  "Cauchy (Lorentzian) penalty (Cookbook 2.6, chain rule)" },
	{ "", "||A x - b||^2 / (1 + ||x||^2)", "x",
	  "2 (A x - b)^T A / (1 + ||x||^2) - 2 ||A x - b||^2 x^T / (1 + ||x||^2)^2",
	  "2 A^T (A x - b) / (1 + ||x||^2) - 2 ||A x - b||^2 x / (1 + ||x||^2)^2",
	  "total least squares (Golub-Van Loan 1980), quotient rule" },
	{ "", "(x^T y + gamma)^3", "x", "3 (x^T y + gamma)^2 y^T", "3 (x^T y + gamma)^2 y",
	  "polynomial kernel (Bishop PRML 6.2), chain rule" },
	{ "x:vector(n)", "x / ||x||^2", "x", "(I_n - 2 x x^T / ||x||^2) / ||x||^2", "(I_n - 2 x x^T / ||x||^2) / ||x||^2",
	  "inversion in the unit sphere: a scaled Householder reflection (Cookbook 2.6, quotient rule)" },
	{ "x:vector(n)", "||x|| x", "x", "||x|| I_n + x x^T / ||x||", "||x|| I_n + x x^T / ||x||",
	  "Cookbook 2.6: d||x|| = x^T dx / ||x||, product rule" },
	{ "A:symmetric", "x^T A x / (x^T x)", "A", "x x^T / (x^T x)", "x x^T / (x^T x)",
	  "Rayleigh quotient by the matrix (Cookbook 2.4.1: a^T X a)" },

	/* --- tensors: vec/Kronecker (Magnus-Neudecker) --- */
	{ "A:matrix(m,n);B:matrix(p,q);X:matrix(q,n)", "kron(A, B) vec(X)", "X", "kron(A, B)", "kron(A^T, B^T)",
	  "Magnus-Neudecker 2.4: (A kron B) vec(X) = vec(B X A^T)" },
	{ "x:vector(n)", "kron(x, x)", "x", "kron(I_n, x) + kron(x, I_n)", "kron(I_n, x^T) + kron(x^T, I_n)",
	  "Magnus-Neudecker: d(x kron x) = dx kron x + x kron dx" },
	{ "a:vector(p);X:matrix(m,n)", "kron(a, X)", "X", "kron(I_n, a, I_m)", "kron(I_n, a^T, I_m)",
	  "Magnus-Neudecker Theorem 3.10 with a column: vec(a kron X) = (I kron a kron I) vec(X)" },
	{ "a:vector(p);X:matrix(m,n)", "kron(X, a)", "X", "kron(I_{m n}, a)", "kron(I_{m n}, a^T)",
	  "Magnus-Neudecker Theorem 3.10 with a column: vec(X kron a) = vec(X) kron a" },
	{ "X:matrix(n,n)", "(I + X)^-1 (I - X)", "X", "-2 kron((I_n + X)^-T, (I_n + X)^-1)",
	  "-2 kron((I_n + X)^-1, (I_n + X)^-T)", "Magnus-Neudecker Ch. 8: the Cayley transform, dY = -2 (I + X)^-1 dX (I + X)^-1" },
	{ "X:matrix(n,n)", "det(X) X", "X", "det(X) (vec(X) vec(X^-T)^T + I_{n n})", "det(X) (vec(X^-T) vec(X)^T + I_{n n})",
	  "Magnus-Neudecker Ch. 8: d det(X) = det(X) tr(X^-1 dX), product rule" },
	{ "", "(x^T A x) B", "x", "vec(B) x^T (A + A^T)", "(A + A^T) x vec(B)^T",
	  "Magnus-Neudecker: a quadratic form times a matrix" },
	{ "A:matrix(m,n)", "diag(x) A", "x", "diag(vec(A)) kron(ones_n, I_m)", "kron(ones_n^T, I_m) diag(vec(A))",
	  "Magnus-Neudecker: vec(diag(dx) A) stacks diag(a_j) dx over the columns a_j" },
	{ "W:matrix(m,n);X:matrix(n,p)", "tanh(W X)", "W", "diag(vec(ones_m ones_p^T - tanh(W X).^2)) kron(X^T, I_m)",
	  "kron(X, I_m) diag(vec(ones_m ones_p^T - tanh(W X).^2))",
	  "a tanh layer on a batch, by its weights: vec(dW X) = (X^T kron I) vec(dW)" },

	/* --- machine learning: regression losses --- */
	{ "", "sum(y .* exp(-X w) + X w)", "w", "(ones - y .* exp(-X w))^T X", "X^T (ones - y .* exp(-X w))",
	  "exponential regression, log link, negative log-likelihood (McCullagh-Nelder)" },
	{ "", "sum(log(ones + (X w - y).^2))", "w", "2 ((X w - y) ./ (ones + (X w - y).^2))^T X",
	  "2 X^T ((X w - y) ./ (ones + (X w - y).^2))", "Cauchy (Lorentzian) robust regression loss" },
	{ "", "1/2 ||X w - y||^2 + lambda ||w||", "w", "(X w - y)^T X + lambda w^T / ||w||",
	  "X^T (X w - y) + lambda w / ||w||", "group lasso with one group (Yuan-Lin 2006), away from w = 0" },
	{ "", "||A x - b||^2 + lambda ||x - x0||^2", "x", "2 (A x - b)^T A + 2 lambda (x - x0)^T",
	  "2 A^T (A x - b) + 2 lambda (x - x0)", "proximal least squares (Parikh-Boyd 6.1.1), Tikhonov with a prior mean" },
	{ "", "nu log(sigma) + ||y - X w||^2 / (2 sigma^2)", "sigma", "nu / sigma - ||y - X w||^2 / sigma^3",
	  "nu / sigma - ||y - X w||^2 / sigma^3",
	  "Bishop PRML 3.11 with sigma = beta^-1/2: Gaussian noise level, negative log-likelihood" },
	{ "", "sum((y - X w).^2 ./ exp(s) + s) / 2", "s", "(ones - (y - X w).^2 ./ exp(s))^T / 2",
	  "(ones - (y - X w).^2 ./ exp(s)) / 2", "heteroscedastic Gaussian regression by the log-variances (Nix-Weigend 1994)" },
	{ "", "sum(c .* (softplus(X w) - y .* (X w)))", "w", "(c .* (sigmoid(X w) - y))^T X", "X^T (c .* (sigmoid(X w) - y))",
	  "weighted logistic regression (King-Zeng 2001), Bishop PRML 4.91" },
	{ "S:symmetric", "-tr(S^-1 (Y - B X) (Y - B X)^T) / 2", "B", "X (Y - B X)^T S^-1", "S^-1 (Y - B X) X^T",
	  "multivariate linear regression, Gaussian log-likelihood by the coefficients (Anderson 2003, 8.2)" },

	/* --- machine learning: softmax, temperature, contrastive --- */
	{ "", "logsumexp(W x) - y^T W x + lambda/2 ||W||_F^2", "W", "x (softmax(W x) - y)^T + lambda W^T",
	  "(softmax(W x) - y) x^T + lambda W", "Murphy PML 10.3: multinomial logistic regression with weight decay" },
	{ "", "logsumexp(z / tau) - y^T z / tau", "tau", "(y - softmax(z / tau))^T z / tau^2",
	  "(y - softmax(z / tau))^T z / tau^2", "temperature scaling (Guo et al. 2017): cross-entropy by the temperature" },
	{ "", "-softmax(t / tau)^T log(softmax(z / tau))", "z", "(softmax(z / tau) - softmax(t / tau))^T / tau",
	  "(softmax(z / tau) - softmax(t / tau)) / tau", "knowledge distillation (Hinton et al. 2015, eq. 2)" },
	{ "", "softmax(z)^T (log(softmax(z)) - log(q))", "z",
	  "(log(softmax(z)) - log(q))^T (diag(softmax(z)) - softmax(z) softmax(z)^T)",
	  "(diag(softmax(z)) - softmax(z) softmax(z)^T) (log(softmax(z)) - log(q))",
	  "KL(softmax(z) || q) by the logits (Murphy PML 6.2, Bishop PRML 4.106)" },
	{ "", "logsumexp(K q) - k^T q", "q", "softmax(K q)^T K - k^T", "K^T softmax(K q) - k",
	  "InfoNCE (van den Oord et al. 2018), by the query" },
	{ "", "softplus(-u^T v) + sum(softplus(N v))", "v", "sigmoid(N v)^T N - sigmoid(-u^T v) u^T",
	  "N^T sigmoid(N v) - sigmoid(-u^T v) u", "skip-gram with negative sampling (Mikolov et al. 2013), by the word vector" },
	{ "", "softmax(z / tau)", "tau", "-(diag(softmax(z / tau)) - softmax(z / tau) softmax(z / tau)^T) z / tau^2",
	  "-z^T (diag(softmax(z / tau)) - softmax(z / tau) softmax(z / tau)^T) / tau^2",
	  "Bishop PRML 4.106, chain rule: a softmax by its temperature" },
	{ "", "sigmoid(x^T A y)", "A", "sigmoid(x^T A y) (1 - sigmoid(x^T A y)) y x^T",
	  "sigmoid(x^T A y) (1 - sigmoid(x^T A y)) x y^T", "bilinear link prediction (Nickel et al. 2011, RESCAL), by the relation" },

	/* --- machine learning: Gaussians, kernels, barriers --- */
	{ "L:matrix(n,n);mu:vector", "logdet(L) - ||L^T (x - mu)||^2 / 2", "L", "L^-1 - L^T (x - mu) (x - mu)^T",
	  "L^-T - (x - mu) (x - mu)^T L", "Gaussian log-likelihood, precision L L^T (Bishop PRML 2.3, Cookbook 2.1.1)" },
	{ "S1:symmetric;S2:symmetric;mu1:vector;mu2:vector",
	  "(tr(S2^-1 S1) + (mu2 - mu1)^T S2^-1 (mu2 - mu1) - logdet(S1) + logdet(S2)) / 2", "S2",
	  "(S2^-1 - S2^-1 (S1 + (mu2 - mu1) (mu2 - mu1)^T) S2^-1) / 2",
	  "(S2^-1 - S2^-1 (S1 + (mu2 - mu1) (mu2 - mu1)^T) S2^-1) / 2",
	  "KL divergence of two Gaussians (Murphy PML 6.2), by the second covariance (Cookbook 2.1.1, 2.2)" },
	{ "S:symmetric", "-(logdet(W W^T + sigma^2 I) + tr((W W^T + sigma^2 I)^-1 S)) / 2", "W",
	  "W^T (W W^T + sigma^2 I)^-1 S (W W^T + sigma^2 I)^-1 - W^T (W W^T + sigma^2 I)^-1",
	  "(W W^T + sigma^2 I)^-1 S (W W^T + sigma^2 I)^-1 W - (W W^T + sigma^2 I)^-1 W",
	  "probabilistic PCA log-likelihood by W (Tipping-Bishop 1999, Bishop PRML 12.2)" },
	{ "", "exp(-||x - c||^2 / (2 sigma^2))", "sigma", "exp(-||x - c||^2 / (2 sigma^2)) ||x - c||^2 / sigma^3",
	  "exp(-||x - c||^2 / (2 sigma^2)) ||x - c||^2 / sigma^3", "Bishop PRML 6.23: Gaussian kernel, by its bandwidth" },
	{ "K:symmetric", "||y - K a||^2 + lambda a^T K a", "a", "2 (K a + lambda a - y)^T K", "2 K (K a + lambda a - y)",
	  "kernel ridge regression in the dual (Bishop PRML 6.1, 6.7)" },
	{ "", "-log(tau^2 - x^T x)", "x", "2 x^T / (tau^2 - x^T x)", "2 x / (tau^2 - x^T x)",
	  "Boyd-Vandenberghe 11.6: second-order cone barrier, by x" },
	{ "", "-log(tau^2 - x^T x)", "tau", "-2 tau / (tau^2 - x^T x)", "-2 tau / (tau^2 - x^T x)",
	  "Boyd-Vandenberghe 11.6: second-order cone barrier, by t" },

	/* --- machine learning: LDA, CCA, trace ratio --- */
	{ "S:symmetric", "(w^T (m1 - m2))^2 / (w^T S w)", "w",
	  "2 (w^T (m1 - m2)) ((w^T S w) (m1 - m2)^T - (w^T (m1 - m2)) w^T S) / (w^T S w)^2",
	  "2 (w^T (m1 - m2)) ((w^T S w) (m1 - m2) - (w^T (m1 - m2)) S w) / (w^T S w)^2",
	  "Bishop PRML 4.25-4.27: the Fisher criterion, S_B = (m2 - m1)(m2 - m1)^T" },
	{ "A:symmetric;B:symmetric", "(a^T C b)^2 / ((a^T A a) (b^T B b))", "a",
	  "2 (a^T C b) (b^T C^T - (a^T C b) a^T A / (a^T A a)) / ((a^T A a) (b^T B b))",
	  "2 (a^T C b) (C b - (a^T C b) A a / (a^T A a)) / ((a^T A a) (b^T B b))",
	  "squared canonical correlation (Hotelling 1936), by the first direction" },
	{ "A:symmetric;B:symmetric", "tr(X^T A X) / tr(X^T B X)", "X",
	  "2 (X^T A - tr(X^T A X) X^T B / tr(X^T B X)) / tr(X^T B X)",
	  "2 (A X - tr(X^T A X) B X / tr(X^T B X)) / tr(X^T B X)",
	  "trace ratio LDA (Wang et al. 2007): Cookbook 2.5.2, quotient rule" },

	/* --- machine learning: ICA, RBM, factorisations --- */
	{ "", "logdet(W) + sum(log(sigmoid(W x) .* (ones - sigmoid(W x))))", "W",
	  "W^-1 + x (ones - 2 sigmoid(W x))^T", "W^-T + (ones - 2 sigmoid(W x)) x^T",
	  "infomax ICA with logistic sources (Bell-Sejnowski 1995)" },
	{ "", "-b^T v - sum(softplus(W v + c))", "W", "-v sigmoid(W v + c)^T", "-sigmoid(W v + c) v^T",
	  "RBM free energy by the weights (Goodfellow et al. 20.2, Hinton 2010)" },
	{ "", "-b^T v - sum(softplus(W v + c))", "v", "-b^T - sigmoid(W v + c)^T W", "-b - W^T sigmoid(W v + c)",
	  "RBM free energy by the visible units (Goodfellow et al. 20.2)" },
	{ "W:matrix(m,k);H:matrix(k,p)", "sum(X .* log(X ./ (W H)) - X + W H)", "H",
	  "(ones_m ones_p^T - X ./ (W H))^T W", "W^T (ones_m ones_p^T - X ./ (W H))",
	  "NMF with the KL divergence D(X || W H) (Lee-Seung 2001), by H" },
	{ "", "||Y - A G kron(C, B)^T||_F^2", "G", "2 kron(C, B)^T (A G kron(C, B)^T - Y)^T A",
	  "2 A^T (A G kron(C, B)^T - Y) kron(C, B)", "Tucker decomposition, mode-1 unfolding (Kolda-Bader 2009), by the core" },
	{ "", "||Y - A G kron(C, B)^T||_F^2", "A", "2 G kron(C, B)^T (A G kron(C, B)^T - Y)^T",
	  "2 (A G kron(C, B)^T - Y) kron(C, B) G^T", "Tucker decomposition, mode-1 unfolding (Kolda-Bader 2009), by the first factor" },

	/* --- machine learning: layers and networks --- */
	{ "", "tanh(W x + b)", "x", "diag(ones - tanh(W x + b).^2) W", "W^T diag(ones - tanh(W x + b).^2)",
	  "a tanh layer with a bias, by its input (Bishop PRML 5.3.4)" },
	{ "", "relu(W x + b)", "W", "kron(x^T, diag(step(W x + b)))", "kron(x, diag(step(W x + b)))",
	  "a relu layer with a bias, by its weights: vec(dW x) = (x^T kron I) vec(dW)" },
	{ "", "softplus(W x + b)", "x", "diag(sigmoid(W x + b)) W", "W^T diag(sigmoid(W x + b))",
	  "a softplus layer by its input (Goodfellow et al. 6.3.3)" },
	{ "", "x .* sigmoid(x)", "x", "diag(sigmoid(x) .* (ones + x .* (ones - sigmoid(x))))",
	  "diag(sigmoid(x) .* (ones + x .* (ones - sigmoid(x))))", "swish / SiLU (Ramachandran et al. 2017), element-wise" },
	{ "", "W2 tanh(W1 x + b1) + b2", "b1", "W2 diag(ones - tanh(W1 x + b1).^2)", "diag(ones - tanh(W1 x + b1).^2) W2^T",
	  "Bishop PRML 5.3: a 2-layer network's output by its first bias" },
	{ "", "W2 relu(W1 x)", "x", "W2 diag(step(W1 x)) W1", "W1^T diag(step(W1 x)) W2^T",
	  "Goodfellow et al. 6.5: a 2-layer relu network's input Jacobian" },
	{ "x:vector(n)", "x + W2 tanh(W1 x)", "x", "I_n + W2 diag(ones - tanh(W1 x).^2) W1",
	  "I_n + W1^T diag(ones - tanh(W1 x).^2) W2^T", "residual block (He et al. 2016), by its input" },
	{ "x:vector(n)", "x + W2 tanh(W1 x)", "W2", "kron(tanh(W1 x)^T, I_n)", "kron(tanh(W1 x), I_n)",
	  "residual block (He et al. 2016), by its second weights" },
	{ "", "||x + W2 tanh(W1 x) - y||^2", "W1", "2 x ((ones - tanh(W1 x).^2) .* (W2^T (x + W2 tanh(W1 x) - y)))^T",
	  "2 ((ones - tanh(W1 x).^2) .* (W2^T (x + W2 tanh(W1 x) - y))) x^T",
	  "residual block (He et al. 2016), squared error, backpropagation to W1" },
	{ "", "logsumexp(W2 relu(W1 x + b1)) - y^T W2 relu(W1 x + b1)", "b1",
	  "(step(W1 x + b1) .* (W2^T (softmax(W2 relu(W1 x + b1)) - y)))^T",
	  "step(W1 x + b1) .* (W2^T (softmax(W2 relu(W1 x + b1)) - y))",
	  "Goodfellow et al. 6.5 with Bishop PRML 4.109: relu hidden layer, softmax output, by the first bias" },
	{ "y:scalar", "softplus(v^T relu(W x)) - y v^T relu(W x)", "x",
	  "(sigmoid(v^T relu(W x)) - y) (step(W x) .* v)^T W", "(sigmoid(v^T relu(W x)) - y) W^T (step(W x) .* v)",
	  "relu hidden layer, logistic output, by the input (Goodfellow et al. 6.2.2.2, 6.5)" },
	{ "", "W3 softplus(W2 softplus(W1 x))", "x", "W3 diag(sigmoid(W2 softplus(W1 x))) W2 diag(sigmoid(W1 x)) W1",
	  "W1^T diag(sigmoid(W1 x)) W2^T diag(sigmoid(W2 softplus(W1 x))) W3^T",
	  "Goodfellow et al. 6.3.3 and 6.5: a 3-layer softplus network's input Jacobian" },
	{ "", "1/2 ||W3 relu(W2 relu(W1 x)) - y||^2", "W2",
	  "relu(W1 x) (step(W2 relu(W1 x)) .* (W3^T (W3 relu(W2 relu(W1 x)) - y)))^T",
	  "(step(W2 relu(W1 x)) .* (W3^T (W3 relu(W2 relu(W1 x)) - y))) relu(W1 x)^T",
	  "Goodfellow et al. 6.5.4: 3-layer relu network, by the middle weights" },
	{ "", "||W^T tanh(W x) - x||^2", "W",
	  "2 (W^T tanh(W x) - x) tanh(W x)^T + 2 x ((ones - tanh(W x).^2) .* (W (W^T tanh(W x) - x)))^T",
	  "2 tanh(W x) (W^T tanh(W x) - x)^T + 2 ((ones - tanh(W x).^2) .* (W (W^T tanh(W x) - x))) x^T",
	  "autoencoder with tied weights (Goodfellow et al. 14, Vincent et al. 2008)" },
};

#endif
