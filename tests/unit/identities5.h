/* identities5.h: the newest reference rows of derivative identities, written
 * on 2026-12-07 from the literature; every answer was derived by hand before
 * mcd was run on its row:
 *  - the Matrix Cookbook (Petersen and Pedersen, version 2012), section 2:
 *    log-determinants (2.1.1: ln det(Y) with Y = I + A X, A + B X C, a
 *    diagonal plus low rank, X^T diag(w) X), inverses (2.2: the resolvent),
 *    traces of products (2.5.1, 2.5.2: the Sylvester residual, the Kalman
 *    gain, HSIC), quadratic and cubic forms (2.4), norms (2.6, 2.7),
 *    diagonal structure (2.8);
 *  - Magnus and Neudecker, Matrix Differential Calculus (3rd ed.), Ch. 2, 3,
 *    8, 9: vec(A dX B) = (B^T kron A) vec(dX), the commutation matrix
 *    K_{m,n}, the mixed-product rule, Hadamard products as diag(vec(.)), the
 *    selection of a diagonal, broadcasting, d(X^-2), d(X A X), d(A X B X^T
 *    C), the differential of a projector (Golub and Pereyra 1973);
 *  - statistics and optimisation: Hastie, Tibshirani and Friedman, ESL (3.2,
 *    3.2.4, 3.4.1), Aitken 1935 (generalised least squares), Zou and Hastie
 *    2005 (elastic net), McCullagh and Nelder 1989 (Poisson regression),
 *    Hartley and Zisserman A6.8 and Charbonnier et al. 1994 (pseudo-Huber),
 *    Boyd and Vandenberghe (3.1.5: log-sum-exp, 7.5.2: D- and A-optimal
 *    design, 11.2.1: the logarithmic barrier), Hansen 1992 (the L-curve),
 *    Golub and Van Loan (7.6.3: the Sylvester equation), Gelb 1974 (the
 *    Kalman gain), Nocedal and Wright (exercise 2.1: Rosenbrock);
 *  - machine learning: Bishop PRML (2.3.4, 2.3.7, 3.5.3, 5.3, 7.1, 12.2.4),
 *    Rasmussen and Williams, Gaussian Processes for ML (2.2, 4.2, 5.4.1),
 *    Goodfellow et al. (6.2.2, 6.3.3, 6.5, 10.2.2), Murphy PML (6.2: KL of
 *    Gaussians), Kingma and Welling 2014 (the VAE: KL term and
 *    reparameterisation), Rezende and Mohamed 2015 (planar flows), Salimans
 *    and Kingma 2016 (weight normalisation), Ba et al. 2016 (layer
 *    normalisation), Zhang and Sennrich 2019 (RMSNorm), Vaswani et al. 2017
 *    (scaled dot-product attention), Bahdanau et al. 2015 (additive
 *    attention), Ramsauer et al. 2021 (modern Hopfield networks), Jacobs et
 *    al. 1991 (mixtures of experts), Dauphin et al. 2017 (gated linear
 *    units), van den Oord et al. 2016 (gated tanh units), Szegedy et al.
 *    2016 (label smoothing), Lin et al. 2017 (focal loss), Sudre et al. 2017
 *    and Milletari et al. 2016 (soft Dice), Jin and Ghahramani 2002
 *    (candidate labels), Chen et al. 2020 (cosine similarity), Schroff et al.
 *    2015 (triplet loss), van der Maaten and Hinton 2008 (t-SNE), Xing et al.
 *    2002 and Weinberger and Saul 2009 (metric learning), Gretton et al.
 *    2005 (HSIC), Mairal et al. 2009 and Olshausen and Field 1996
 *    (dictionary learning, sparse coding), Mikolov et al. 2013 (skip-gram),
 *    Pennington et al. 2014 (GloVe), Belkin and Niyogi 2003 (Laplacian
 *    eigenmaps), Bansal et al. 2018 (soft orthogonality); 2- and 3-layer
 *    networks with tanh, sigmoid, relu and softplus, on one sample and on a
 *    batch, and a recurrent network unrolled twice.
 * Hessians appear as the Jacobian of a gradient (vector by vector).  Where a
 * mean over n entries is needed (layer normalisation, RMSNorm, centring,
 * label smoothing), n is fixed to 4.
 * The format and the conventions are those of identities.h (same Identity
 * type, defined there): num is the numerator-layout answer, den the
 * denominator layout; a variable declared symmetric is differentiated as if
 * its entries were independent.  Every answer was checked, in both layouts,
 * with mcd --expect (standard output thrown away, so that mcd's own form was
 * never seen), on seeds 1 to 10.  One row (the cosine similarity) has an
 * instance at some other seeds with x parallel to y, where the true
 * derivative is 0 and a double-precision comparison sees only rounding.
 * No (decls, f, wrt) triple repeats a row of the other tables.
 * identities_newest[] is to be included by test_identities.c (not yet wired
 * in). */
#ifndef MCD_TEST_IDENTITIES5_H
#define MCD_TEST_IDENTITIES5_H

static const Identity identities_newest[] = {
	/* --- Cookbook 2.1.1: determinants and log-determinants --- */
	{ "A:matrix(m,n);X:matrix(n,m)", "logdet(I + A X)", "X", "(I + A X)^-1 A", "A^T (I + A X)^-T",
	  "Cookbook 2.1.1: d ln det(Y) = tr(Y^-1 dY), Y = I + A X (Sylvester's determinant identity)" },
	{ "", "logdet(diag(d) + U U^T)", "d", "diag((diag(d) + U U^T)^-1)^T", "diag((diag(d) + U U^T)^-1)",
	  "factor analysis: ln det(Psi + W W^T) by the diagonal noise (Bishop PRML 12.2.4, Cookbook 2.1.1)" },
	{ "", "logdet(X^T diag(w) X)", "w", "diag(X (X^T diag(w) X)^-1 X^T)^T", "diag(X (X^T diag(w) X)^-1 X^T)",
	  "Boyd-Vandenberghe 7.5.2: D-optimal experiment design, by the weights" },
	{ "", "tr((X^T diag(w) X)^-1)", "w", "-diag(X (X^T diag(w) X)^-2 X^T)^T", "-diag(X (X^T diag(w) X)^-2 X^T)",
	  "Boyd-Vandenberghe 7.5.2: A-optimal experiment design, by the weights" },
	{ "K:symmetric", "-(y^T (K + sigma^2 I)^-1 y + logdet(K + sigma^2 I)) / 2", "K",
	  "((K + sigma^2 I)^-1 y y^T (K + sigma^2 I)^-1 - (K + sigma^2 I)^-1) / 2",
	  "((K + sigma^2 I)^-1 y y^T (K + sigma^2 I)^-1 - (K + sigma^2 I)^-1) / 2",
	  "Rasmussen-Williams 5.4.1 (eq. 5.9): GP log marginal likelihood, by the kernel matrix" },
	{ "", "logdet(A + B X C)", "X", "C (A + B X C)^-1 B", "B^T (A + B X C)^-T C^T",
	  "Cookbook 2.1.1: d ln det(Y) = tr(Y^-1 dY), Y = A + B X C" },
	{ "", "logdet(alpha I + beta Phi^T Phi)", "alpha", "tr((alpha I + beta Phi^T Phi)^-1)",
	  "tr((alpha I + beta Phi^T Phi)^-1)", "Bishop PRML 3.5.3: maximising the evidence, d ln|A| / d alpha, A = alpha I + beta Phi^T Phi" },
	{ "", "logdet(alpha I + beta Phi^T Phi)", "beta", "tr((alpha I + beta Phi^T Phi)^-1 Phi^T Phi)",
	  "tr((alpha I + beta Phi^T Phi)^-1 Phi^T Phi)", "Bishop PRML 3.5.3: maximising the evidence, d ln|A| / d beta" },

	/* --- Cookbook 2.2 and 2.5: inverses and traces --- */
	{ "", "(X^T X)^-1 X^T y", "y", "(X^T X)^-1 X^T", "X (X^T X)^-1",
	  "Hastie et al. ESL 3.2: the least-squares estimate as a linear map of y" },
	{ "", "X (X^T X)^-1 X^T y", "y", "X (X^T X)^-1 X^T", "X (X^T X)^-1 X^T",
	  "Hastie et al. ESL 3.2: the hat matrix, fitted values by y" },
	{ "", "||(A^T A + lambda I)^-1 A^T b||^2", "lambda", "-2 b^T A (A^T A + lambda I)^-3 A^T b",
	  "-2 b^T A (A^T A + lambda I)^-3 A^T b", "Hansen 1992: the L-curve, solution norm of Tikhonov regularisation" },
	{ "L:symmetric", "tr(F^T L F)", "F", "2 F^T L", "2 L F",
	  "Laplacian eigenmaps (Belkin-Niyogi 2003): tr(F^T L F), Cookbook 2.5.2" },
	{ "", "||A X + X B - C||_F^2", "X", "2 ((A X + X B - C)^T A + B (A X + X B - C)^T)",
	  "2 (A^T (A X + X B - C) + (A X + X B - C) B^T)", "Golub-Van Loan 7.6.3: the Sylvester equation, squared residual" },
	{ "", "||A X B||_F^2", "X", "2 B (A X B)^T A", "2 A^T A X B B^T", "Cookbook 2.7 and 2.5.2: ||A X B||_F^2" },
	{ "", "(I - eta A)^-1 x", "eta", "(I - eta A)^-1 A (I - eta A)^-1 x", "x^T (I - eta A)^-T A^T (I - eta A)^-T",
	  "Cookbook 2.2: dY^-1 = -Y^-1 dY Y^-1, the backward Euler step (resolvent) by its step size" },
	{ "P:symmetric;R:symmetric", "tr((I - K H) P (I - K H)^T + K R K^T)", "K", "2 R K^T - 2 H P (I - K H)^T",
	  "2 K R - 2 (I - K H) P H^T", "the Kalman gain as the minimiser of the trace of the posterior covariance (Gelb 1974, Cookbook 2.5.2)" },
	{ "L:symmetric", "tr(K (I_4 - ones_4 ones_4^T / 4) L (I_4 - ones_4 ones_4^T / 4))", "K",
	  "(I_4 - ones_4 ones_4^T / 4) L (I_4 - ones_4 ones_4^T / 4)", "(I_4 - ones_4 ones_4^T / 4) L (I_4 - ones_4 ones_4^T / 4)",
	  "HSIC, tr(K H L H) with the centring matrix H, n = 4 (Gretton et al. 2005), Cookbook 2.5.1" },

	/* --- Cookbook 2.4, 2.6, 2.8: forms and norms --- */
	{ "", "(a^T x) (x^T x)", "x", "(x^T x) a^T + 2 (a^T x) x^T", "(x^T x) a + 2 (a^T x) x",
	  "Cookbook 2.4.1 and 2.6: a cubic form, product rule" },
	{ "", "x^T diag(d) x", "d", "(x .* x)^T", "x .* x", "Cookbook 2.4.2 and 2.8: a quadratic form by its diagonal" },
	{ "", "a^T diag(x) b", "x", "(a .* b)^T", "a .* b", "Cookbook 2.8: a^T diag(x) b = x^T (a .* b)" },
	{ "", "||x||^4", "x", "4 ||x||^2 x^T", "4 ||x||^2 x", "Cookbook 2.6: ||x||_2^2, chain rule" },
	{ "", "sqrt(delta^2 + ||x - a||^2)", "x", "(x - a)^T / sqrt(delta^2 + ||x - a||^2)",
	  "(x - a) / sqrt(delta^2 + ||x - a||^2)", "Charbonnier et al. 1994: the pseudo-Huber penalty (Cookbook 2.6)" },
	{ "", "x^T y / (||x|| ||y||)", "x", "y^T / (||x|| ||y||) - (x^T y) x^T / (||x||^3 ||y||)",
	  "y / (||x|| ||y||) - (x^T y) x / (||x||^3 ||y||)", "cosine similarity (Chen et al. 2020, SimCLR), quotient rule" },
	{ "", "(1 + ||x - y||^2)^-1", "x", "-2 (x - y)^T / (1 + ||x - y||^2)^2", "-2 (x - y) / (1 + ||x - y||^2)^2",
	  "the Student t similarity of t-SNE (van der Maaten-Hinton 2008), Cookbook 2.6" },
	{ "", "sum(100 (y - x.^2).^2 + (ones - x).^2)", "x", "(400 x .* (x.^2 - y) + 2 (x - ones))^T",
	  "400 x .* (x.^2 - y) + 2 (x - ones)", "the extended Rosenbrock function, decoupled pairs (Nocedal-Wright, exercise 2.1)" },

	/* --- normalisation layers (n = 4, so that the mean is ones^T x / 4) --- */
	{ "x:vector(4)", "g .* x / sqrt(||x||^2 / 4 + epsilon)", "x",
	  "diag(g) (I_4 / sqrt(||x||^2 / 4 + epsilon) - x x^T / (4 (||x||^2 / 4 + epsilon)^(3/2)))",
	  "(I_4 / sqrt(||x||^2 / 4 + epsilon) - x x^T / (4 (||x||^2 / 4 + epsilon)^(3/2))) diag(g)",
	  "RMSNorm (Zhang-Sennrich 2019), by the input" },
	{ "x:vector(4)", "g .* x / sqrt(||x||^2 / 4 + epsilon)", "g", "diag(x) / sqrt(||x||^2 / 4 + epsilon)",
	  "diag(x) / sqrt(||x||^2 / 4 + epsilon)", "RMSNorm (Zhang-Sennrich 2019), by the gain" },
	{ "x:vector(4)", "(x - ones_4 ones_4^T x / 4) / sqrt(||x - ones_4 ones_4^T x / 4||^2 / 4 + epsilon)", "x",
	  "(I_4 - ones_4 ones_4^T / 4) / sqrt(||x - ones_4 ones_4^T x / 4||^2 / 4 + epsilon) - (x - ones_4 ones_4^T x / 4) (x - ones_4 ones_4^T x / 4)^T / (4 (||x - ones_4 ones_4^T x / 4||^2 / 4 + epsilon)^(3/2))",
	  "(I_4 - ones_4 ones_4^T / 4) / sqrt(||x - ones_4 ones_4^T x / 4||^2 / 4 + epsilon) - (x - ones_4 ones_4^T x / 4) (x - ones_4 ones_4^T x / 4)^T / (4 (||x - ones_4 ones_4^T x / 4||^2 / 4 + epsilon)^(3/2))",
	  "layer normalisation (Ba et al. 2016), by the input: centring, then scaling" },

	/* --- tensors: vec/Kronecker (Magnus-Neudecker) --- */
	{ "X:matrix(m,n)", "vec(X^T)", "X", "K_{m,n}", "K_{n,m}", "Magnus-Neudecker 3.7: vec(X^T) = K_{m,n} vec(X)" },
	{ "X:matrix(n,n)", "X A X", "X", "kron((A X)^T, I_n) + kron(I_n, X A)", "kron(A X, I_n) + kron(I_n, (X A)^T)",
	  "Magnus-Neudecker Ch. 9: d(X A X) = dX A X + X A dX" },
	{ "X:matrix(n,n)", "X^-2", "X", "-kron((X^2)^-T, X^-1) - kron(X^-T, X^-2)", "-kron(X^-2, X^-T) - kron(X^-1, (X^2)^-T)",
	  "Magnus-Neudecker Ch. 8: d(X^-2) = -X^-1 dX X^-2 - X^-2 dX X^-1" },
	{ "X:matrix(m,n)", "A X B X^T C", "X", "kron(C^T X B^T, A) + kron(C^T, A X B) K_{m,n}",
	  "kron(B X^T C, A^T) + K_{n,m} kron(C, B^T X^T A^T)", "Magnus-Neudecker Ch. 9: d(A X B X^T C)" },
	{ "X:matrix(m,n)", "X (X^T X)^-1 X^T", "X",
	  "kron(X (X^T X)^-1, I_m - X (X^T X)^-1 X^T) + kron(I_m - X (X^T X)^-1 X^T, X (X^T X)^-1) K_{m,n}",
	  "kron((X^T X)^-1 X^T, I_m - X (X^T X)^-1 X^T) + K_{n,m} kron(I_m - X (X^T X)^-1 X^T, (X^T X)^-1 X^T)",
	  "Golub-Pereyra 1973: dP = (I - P) dX X^+ + (X^+)^T dX^T (I - P), vec by Magnus-Neudecker" },
	{ "", "kron(A x, B y)", "x", "kron(A, B y)", "kron(A^T, y^T B^T)",
	  "Magnus-Neudecker Ch. 2: (A dx) kron (B y) = (A kron B y) dx, the mixed-product rule" },
	{ "X:matrix(m,n);A:matrix(m,m)", "X .* (A X)", "X", "diag(vec(A X)) + diag(vec(X)) kron(I_n, A)",
	  "diag(vec(A X)) + kron(I_n, A^T) diag(vec(X))", "Magnus-Neudecker: Hadamard product rule, vec(X .* dY) = diag(vec(X)) vec(dY)" },
	{ "X:matrix(n,n)", "diag(X)", "X", "kron(ones_n^T, I_n) diag(vec(I_n))", "diag(vec(I_n)) kron(ones_n, I_n)",
	  "Magnus-Neudecker: the diagonal as a selection, diag(dX) = (I .* dX) ones" },
	{ "X:matrix(n,p)", "relu(W X)", "X", "diag(vec(step(W X))) kron(I_p, W)", "kron(I_p, W^T) diag(vec(step(W X)))",
	  "a relu layer on a batch, by its input: vec(W dX) = (I kron W) vec(dX)" },
	{ "W:matrix(m,n);X:matrix(n,p)", "W X + b ones_p^T", "b", "kron(ones_p, I_m)", "kron(ones_p^T, I_m)",
	  "a batched affine layer by its bias, broadcast as b 1^T: vec(db 1^T) = (1 kron I) db (Magnus-Neudecker Ch. 2)" },

	/* --- machine learning: regression --- */
	{ "Omega:symmetric", "(y - X w)^T Omega (y - X w)", "w", "-2 (y - X w)^T Omega X", "-2 X^T Omega (y - X w)",
	  "generalised least squares (Aitken 1935), Cookbook 2.4.2" },
	{ "Omega:symmetric", "2 X^T Omega (X w - y)", "w", "2 X^T Omega X", "2 X^T Omega X",
	  "generalised least squares (Aitken 1935): the Hessian" },
	{ "", "1/2 ||X w - y||^2 + lambda1 sum(abs(w)) + lambda2 / 2 ||w||^2", "w",
	  "(X w - y)^T X + lambda1 sign(w)^T + lambda2 w^T", "X^T (X w - y) + lambda1 sign(w) + lambda2 w",
	  "elastic net (Zou-Hastie 2005), away from w_i = 0" },
	{ "", "delta^2 sum(sqrt(ones + (X w - y).^2 / delta^2) - ones)", "w",
	  "((X w - y) ./ sqrt(ones + (X w - y).^2 / delta^2))^T X", "X^T ((X w - y) ./ sqrt(ones + (X w - y).^2 / delta^2))",
	  "pseudo-Huber robust regression (Hartley-Zisserman A6.8)" },
	{ "", "sum(exp(X w) - y .* (X w))", "w", "(exp(X w) - y)^T X", "X^T (exp(X w) - y)",
	  "Poisson regression, log link, negative log-likelihood (McCullagh-Nelder 1989)" },
	{ "", "A^T softmax(A x + b)", "x", "A^T (diag(softmax(A x + b)) - softmax(A x + b) softmax(A x + b)^T) A",
	  "A^T (diag(softmax(A x + b)) - softmax(A x + b) softmax(A x + b)^T) A",
	  "Boyd-Vandenberghe 3.1.5: the Hessian of log-sum-exp, chain rule" },
	{ "", "A^T (ones ./ (b - A x))", "x", "A^T diag(ones ./ (b - A x).^2) A", "A^T diag(ones ./ (b - A x).^2) A",
	  "Boyd-Vandenberghe 11.2.1: the logarithmic barrier, Hessian" },
	{ "", "||X B - Y||_F^2 + lambda ||B||_F^2", "B", "2 (X B - Y)^T X + 2 lambda B^T", "2 X^T (X B - Y) + 2 lambda B",
	  "multi-output ridge regression (Hastie et al. ESL 3.2.4, 3.4.1)" },

	/* --- machine learning: classification losses --- */
	{ "", "-log(y^T softmax(z))", "z", "softmax(z)^T - (y .* softmax(z))^T / (y^T softmax(z))",
	  "softmax(z) - y .* softmax(z) / (y^T softmax(z))",
	  "learning with candidate labels: -log of the mass on the target set (Jin-Ghahramani 2002)" },
	{ "", "relu(||a - p||^2 - ||a - q||^2 + alpha)", "a", "2 step(||a - p||^2 - ||a - q||^2 + alpha) (q - p)^T",
	  "2 step(||a - p||^2 - ||a - q||^2 + alpha) (q - p)", "triplet loss (Schroff et al. 2015, FaceNet), by the anchor" },
	{ "z:vector(4)", "-((1 - epsilon) y + epsilon ones_4 / 4)^T log(softmax(z))", "z",
	  "((1 - epsilon) sum(y) + epsilon) softmax(z)^T - (1 - epsilon) y^T - epsilon ones_4^T / 4",
	  "((1 - epsilon) sum(y) + epsilon) softmax(z) - (1 - epsilon) y - epsilon ones_4 / 4",
	  "label smoothing over 4 classes (Szegedy et al. 2016, section 7)" },
	{ "z:scalar", "-(1 - sigmoid(z))^2 log(sigmoid(z))", "z", "(1 - sigmoid(z))^2 (2 sigmoid(z) log(sigmoid(z)) + sigmoid(z) - 1)",
	  "(1 - sigmoid(z))^2 (2 sigmoid(z) log(sigmoid(z)) + sigmoid(z) - 1)", "focal loss, gamma = 2 (Lin et al. 2017), by the logit" },
	{ "", "1 - 2 p^T y / (sum(p) + sum(y))", "p", "2 (p^T y) ones^T / (sum(p) + sum(y))^2 - 2 y^T / (sum(p) + sum(y))",
	  "2 (p^T y) ones / (sum(p) + sum(y))^2 - 2 y / (sum(p) + sum(y))", "soft Dice loss of one class (Sudre et al. 2017; Milletari et al. 2016)" },
	{ "K:symmetric", "sum(a) - (a .* y)^T K (a .* y) / 2", "a", "ones^T - (y .* (K (a .* y)))^T", "ones - y .* (K (a .* y))",
	  "the SVM dual objective (Bishop PRML 7.1, eq. 7.10), by the multipliers" },

	/* --- machine learning: Gaussians --- */
	{ "Sigma:symmetric;S:symmetric", "-(nu logdet(Sigma) + tr(Sigma^-1 S)) / 2", "Sigma",
	  "(Sigma^-1 S Sigma^-1 - nu Sigma^-1) / 2", "(Sigma^-1 S Sigma^-1 - nu Sigma^-1) / 2",
	  "Bishop PRML 2.3.4 (2.122): Gaussian log-likelihood of nu samples, by the covariance" },
	{ "Lambda:symmetric;S:symmetric", "(nu logdet(Lambda) - tr(Lambda S)) / 2", "Lambda", "(nu Lambda^-1 - S) / 2",
	  "(nu Lambda^-1 - S) / 2", "Bishop PRML 2.3.4: Gaussian log-likelihood of nu samples, by the precision" },
	{ "S1:symmetric;S2:symmetric;mu1:vector;mu2:vector",
	  "(tr(S2^-1 S1) + (mu2 - mu1)^T S2^-1 (mu2 - mu1) - logdet(S1) + logdet(S2)) / 2", "mu1",
	  "(mu1 - mu2)^T S2^-1", "S2^-1 (mu1 - mu2)", "KL divergence of two Gaussians (Murphy PML 6.2), by the first mean" },
	{ "S1:symmetric;S2:symmetric;mu1:vector;mu2:vector",
	  "(tr(S2^-1 S1) + (mu2 - mu1)^T S2^-1 (mu2 - mu1) - logdet(S1) + logdet(S2)) / 2", "S1",
	  "(S2^-1 - S1^-1) / 2", "(S2^-1 - S1^-1) / 2",
	  "KL divergence of two Gaussians (Murphy PML 6.2), by the first covariance" },
	{ "", "-sum(ones + log(s.^2) - m.^2 - s.^2) / 2", "s", "(s - ones ./ s)^T", "s - ones ./ s",
	  "VAE: KL(N(m, diag(s.^2)) || N(0, I)) by the standard deviations (Kingma-Welling 2014, appendix B)" },
	{ "", "-sum(ones + log(s.^2) - m.^2 - s.^2) / 2", "m", "m^T", "m",
	  "VAE: KL(N(m, diag(s.^2)) || N(0, I)) by the means (Kingma-Welling 2014, appendix B)" },
	{ "", "||x - W (m + s .* e)||^2", "s", "-2 (e .* (W^T (x - W (m + s .* e))))^T", "-2 e .* (W^T (x - W (m + s .* e)))",
	  "VAE reparameterisation trick, z = m + s .* e, linear Gaussian decoder (Kingma-Welling 2014, 2.4)" },
	{ "Sigma:symmetric;mu:vector", "-kappa log(1 + (x - mu)^T Sigma^-1 (x - mu) / nu) / 2", "mu",
	  "kappa (x - mu)^T Sigma^-1 / (nu + (x - mu)^T Sigma^-1 (x - mu))",
	  "kappa Sigma^-1 (x - mu) / (nu + (x - mu)^T Sigma^-1 (x - mu))",
	  "multivariate Student t log-density, kappa = nu + D (Bishop PRML 2.3.7, eq. 2.162), by the location" },

	/* --- machine learning: metrics, kernels, factorisations --- */
	{ "", "sqrt((x - y)^T M (x - y))", "M", "(x - y) (x - y)^T / (2 sqrt((x - y)^T M (x - y)))",
	  "(x - y) (x - y)^T / (2 sqrt((x - y)^T M (x - y)))", "Mahalanobis metric learning (Xing et al. 2002), by the metric" },
	{ "", "||L (x - y)||^2", "L", "2 (x - y) (x - y)^T L^T", "2 L (x - y) (x - y)^T",
	  "metric learning with M = L^T L (Weinberger-Saul 2009, LMNN), by L" },
	{ "", "exp(-||x - y|| / rho)", "x", "-exp(-||x - y|| / rho) (x - y)^T / (rho ||x - y||)",
	  "-exp(-||x - y|| / rho) (x - y) / (rho ||x - y||)",
	  "exponential (Matern 1/2) kernel, Rasmussen-Williams 4.2, by its first argument" },
	{ "", "exp(-||x - y||^2 / (2 sigma^2))", "x", "-exp(-||x - y||^2 / (2 sigma^2)) (x - y)^T / sigma^2",
	  "-exp(-||x - y||^2 / (2 sigma^2)) (x - y) / sigma^2",
	  "squared exponential kernel, Rasmussen-Williams 4.2, by its first argument" },
	{ "K:symmetric", "k^T (K + lambda I)^-1 y", "lambda", "-k^T (K + lambda I)^-2 y", "-k^T (K + lambda I)^-2 y",
	  "kernel ridge / GP predictive mean (Rasmussen-Williams 2.2), by the regulariser" },
	{ "", "||x - D a||^2 + lambda sum(abs(a))", "D", "-2 a (x - D a)^T", "-2 (x - D a) a^T",
	  "dictionary learning (Mairal et al. 2009), by the dictionary" },
	{ "", "||x - D a||^2 + lambda sum(abs(a))", "a", "-2 (x - D a)^T D + lambda sign(a)^T",
	  "-2 D^T (x - D a) + lambda sign(a)", "sparse coding (Olshausen-Field 1996, Mairal et al. 2009), by the code" },
	{ "", "omega (u^T v + beta - log(kappa))^2", "u", "2 omega (u^T v + beta - log(kappa)) v^T",
	  "2 omega (u^T v + beta - log(kappa)) v", "GloVe (Pennington et al. 2014), one co-occurrence term, by the word vector" },
	{ "", "softplus(-u^T v) + sum(softplus(N v))", "N", "v sigmoid(N v)^T", "sigmoid(N v) v^T",
	  "skip-gram with negative sampling (Mikolov et al. 2013), by the negative samples' vectors" },
	{ "v:vector(n)", "||gamma X v / ||v|| - y||^2", "v",
	  "2 gamma (gamma X v / ||v|| - y)^T X (I_n - v v^T / ||v||^2) / ||v||",
	  "2 gamma (I_n - v v^T / ||v||^2) X^T (gamma X v / ||v|| - y) / ||v||",
	  "weight normalisation w = g v / ||v|| (Salimans-Kingma 2016, 2.1), least squares, by v" },
	{ "z:vector(n)", "z + u tanh(w^T z + beta)", "z", "I_n + (1 - tanh(w^T z + beta)^2) u w^T",
	  "I_n + (1 - tanh(w^T z + beta)^2) w u^T", "planar normalising flow (Rezende-Mohamed 2015), the Jacobian" },
	{ "", "log(1 + (1 - tanh(w^T z + beta)^2) u^T w)", "u",
	  "(1 - tanh(w^T z + beta)^2) w^T / (1 + (1 - tanh(w^T z + beta)^2) u^T w)",
	  "(1 - tanh(w^T z + beta)^2) w / (1 + (1 - tanh(w^T z + beta)^2) u^T w)",
	  "planar normalising flow (Rezende-Mohamed 2015), log-det of the Jacobian by u" },

	/* --- machine learning: attention --- */
	{ "", "softmax(K q / tau)", "q",
	  "(diag(softmax(K q / tau)) - softmax(K q / tau) softmax(K q / tau)^T) K / tau",
	  "K^T (diag(softmax(K q / tau)) - softmax(K q / tau) softmax(K q / tau)^T) / tau",
	  "scaled dot-product attention weights (Vaswani et al. 2017), by the query" },
	{ "", "V^T softmax(K q / tau)", "q",
	  "V^T (diag(softmax(K q / tau)) - softmax(K q / tau) softmax(K q / tau)^T) K / tau",
	  "K^T (diag(softmax(K q / tau)) - softmax(K q / tau) softmax(K q / tau)^T) V / tau",
	  "scaled dot-product attention (Vaswani et al. 2017), output by the query" },
	{ "V:matrix(m,n)", "V^T softmax(K q / tau)", "V", "kron(I_n, softmax(K q / tau)^T)", "kron(I_n, softmax(K q / tau))",
	  "scaled dot-product attention (Vaswani et al. 2017), output by the values" },
	{ "", "V^T softmax(K q / tau)", "K",
	  "kron(q^T, V^T (diag(softmax(K q / tau)) - softmax(K q / tau) softmax(K q / tau)^T)) / tau",
	  "kron(q, (diag(softmax(K q / tau)) - softmax(K q / tau) softmax(K q / tau)^T) V) / tau",
	  "scaled dot-product attention (Vaswani et al. 2017), output by the keys: vec(dK q) = (q^T kron I) vec(dK)" },
	{ "", "V^T softmax(K Wq x / tau)", "Wq",
	  "kron(x^T, V^T (diag(softmax(K Wq x / tau)) - softmax(K Wq x / tau) softmax(K Wq x / tau)^T) K) / tau",
	  "kron(x, K^T (diag(softmax(K Wq x / tau)) - softmax(K Wq x / tau) softmax(K Wq x / tau)^T) V) / tau",
	  "scaled dot-product attention (Vaswani et al. 2017), output by the query projection" },
	{ "", "v^T tanh(W1 q + W2 k)", "q", "(v .* (ones - tanh(W1 q + W2 k).^2))^T W1", "W1^T (v .* (ones - tanh(W1 q + W2 k).^2))",
	  "additive attention score (Bahdanau et al. 2015), by the query" },
	{ "", "-logsumexp(beta X^T s) / beta + s^T s / 2", "s", "s^T - softmax(beta X^T s)^T X^T", "s - X softmax(beta X^T s)",
	  "modern Hopfield energy (Ramsauer et al. 2021), by the state pattern" },
	{ "", "softmax(G x)^T E x", "x", "(E x)^T (diag(softmax(G x)) - softmax(G x) softmax(G x)^T) G + softmax(G x)^T E",
	  "G^T (diag(softmax(G x)) - softmax(G x) softmax(G x)^T) E x + E^T softmax(G x)",
	  "mixture of linear experts with a softmax gate (Jacobs et al. 1991), by the input" },

	/* --- machine learning: gated units and networks --- */
	{ "", "sigmoid(W x) .* tanh(U x)", "x",
	  "diag(tanh(U x) .* sigmoid(W x) .* (ones - sigmoid(W x))) W + diag(sigmoid(W x) .* (ones - tanh(U x).^2)) U",
	  "W^T diag(tanh(U x) .* sigmoid(W x) .* (ones - sigmoid(W x))) + U^T diag(sigmoid(W x) .* (ones - tanh(U x).^2))",
	  "gated tanh unit (van den Oord et al. 2016), by the input" },
	{ "", "(A x) .* sigmoid(B x)", "x", "diag(sigmoid(B x)) A + diag(A x .* sigmoid(B x) .* (ones - sigmoid(B x))) B",
	  "A^T diag(sigmoid(B x)) + B^T diag(A x .* sigmoid(B x) .* (ones - sigmoid(B x)))",
	  "gated linear unit (Dauphin et al. 2017), by the input" },
	{ "", "sum(softplus(W2 tanh(W1 x))) - y^T W2 tanh(W1 x)", "W1",
	  "x ((ones - tanh(W1 x).^2) .* (W2^T (sigmoid(W2 tanh(W1 x)) - y)))^T",
	  "((ones - tanh(W1 x).^2) .* (W2^T (sigmoid(W2 tanh(W1 x)) - y))) x^T",
	  "tanh hidden layer, multi-label logistic output (Goodfellow et al. 6.2.2.2, 6.5), by W1" },
	{ "", "1/2 ||W2 softplus(W1 x + b1) - y||^2", "b1", "(sigmoid(W1 x + b1) .* (W2^T (W2 softplus(W1 x + b1) - y)))^T",
	  "sigmoid(W1 x + b1) .* (W2^T (W2 softplus(W1 x + b1) - y))",
	  "softplus hidden layer (Goodfellow et al. 6.3.3), squared error, by the first bias" },
	{ "", "W3 relu(W2 tanh(W1 x))", "x", "W3 diag(step(W2 tanh(W1 x))) W2 diag(ones - tanh(W1 x).^2) W1",
	  "W1^T diag(ones - tanh(W1 x).^2) W2^T diag(step(W2 tanh(W1 x))) W3^T",
	  "Goodfellow et al. 6.5: a 3-layer tanh-relu network's input Jacobian" },
	{ "", "logsumexp(W3 tanh(W2 relu(W1 x))) - y^T W3 tanh(W2 relu(W1 x))", "W1",
	  "x (step(W1 x) .* (W2^T ((ones - tanh(W2 relu(W1 x)).^2) .* (W3^T (softmax(W3 tanh(W2 relu(W1 x))) - y)))))^T",
	  "(step(W1 x) .* (W2^T ((ones - tanh(W2 relu(W1 x)).^2) .* (W3^T (softmax(W3 tanh(W2 relu(W1 x))) - y))))) x^T",
	  "Goodfellow et al. 6.5.4: 3-layer relu-tanh network, softmax cross-entropy, by W1" },
	{ "W1:matrix(k,m);X:matrix(m,p)", "||W2 tanh(W1 X) - Y||_F^2", "W2", "2 tanh(W1 X) (W2 tanh(W1 X) - Y)^T",
	  "2 (W2 tanh(W1 X) - Y) tanh(W1 X)^T", "Bishop PRML 5.3: 2-layer tanh network on a batch, by W2" },
	{ "W1:matrix(k,m);X:matrix(m,p)", "||W2 tanh(W1 X) - Y||_F^2", "W1",
	  "2 X ((ones_k ones_p^T - tanh(W1 X).^2) .* (W2^T (W2 tanh(W1 X) - Y)))^T",
	  "2 ((ones_k ones_p^T - tanh(W1 X).^2) .* (W2^T (W2 tanh(W1 X) - Y))) X^T",
	  "Bishop PRML 5.3: 2-layer tanh network on a batch, backpropagation to W1" },
	{ "", "v^T tanh(W tanh(W x))", "W",
	  "tanh(W x) ((ones - tanh(W tanh(W x)).^2) .* v)^T + x ((ones - tanh(W x).^2) .* (W^T ((ones - tanh(W tanh(W x)).^2) .* v)))^T",
	  "((ones - tanh(W tanh(W x)).^2) .* v) tanh(W x)^T + ((ones - tanh(W x).^2) .* (W^T ((ones - tanh(W tanh(W x)).^2) .* v))) x^T",
	  "a recurrent tanh network unrolled twice, shared weights: backpropagation through time (Goodfellow et al. 10.2.2)" },
};

#endif
