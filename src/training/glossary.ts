/**
 * The glossary: every term the simulator uses, in plain words, for finance officials and
 * trainers. Each entry has a stable anchor (its id), used by the help texts of the editor and
 * the policy forms, the indicator sentences of the results, and the training exercises.
 *
 * Names, other names, definitions and notes are messages (English ICU text marked with msg):
 * they are translated where they are shown (localEntry); the ids stay English everywhere.
 */
import { msg, type Translate } from '../i18n/translate.ts';

export interface GlossaryEntry {
  /** Anchor on /glossary: lower case, hyphens. */
  readonly id: string;
  readonly term: string;
  /** Other names the term goes by. */
  readonly aka?: readonly string[];
  /** What it means, in plain words. */
  readonly definition: string;
  /** How the simulator uses or computes it. */
  readonly inApp?: string;
  /** Related entries, by id. */
  readonly related?: readonly string[];
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    id: 'additionality', term: msg('Additionality'), aka: [msg('additional lending'), msg('additional credit')],
    definition: msg('Credit that happens only because of the scheme: loans banks would not have made without the guarantee (or the microloan, or the subsidy). It is the main thing a public credit scheme buys.'),
    inApp: msg('A loan segment is additional when the lender turns it down without the guarantee but lends with it. Additional lending is the principal of those loans; the rest of the guaranteed lending is substitution.'),
    related: ['substitution', 'collateral-gap', 'fiscal-cost-per-additional-loan'],
  },
  {
    id: 'asset-correlation', term: msg('Asset correlation'), aka: [msg('ρ (rho)')],
    definition: msg('How strongly firms’ fortunes move together with the business cycle. With a high correlation, defaults bunch in bad years; with a low one they are spread evenly.'),
    inApp: msg('The ρ of the one-factor (Vasicek) model used by the Monte Carlo simulation: it sets how much the default rate rises in a bad year. Basel uses 3–16 % for small-business loans.'),
    related: ['monte-carlo', 'vasicek', 'pd'],
  },
  {
    id: 'borrower-all-in-cost', term: msg('Borrower’s all-in cost'),
    definition: msg('What a firm pays for its loan per year, everything included: interest, guarantee fees passed on to it, less any subsidy.'),
    inApp: msg('In the budget comparison: the lender’s rate plus the guarantee fee (guarantee fund), the portfolio yield (microfinance), the fund’s lending rate (revolving fund), or the bank’s rate less the subsidy.'),
    related: ['guarantee-fee', 'portfolio-yield', 'interest-subsidy'],
  },
  {
    id: 'break-even-fee', term: msg('Break-even fee'),
    definition: msg('The annual guarantee fee at which the fund pays its way. It depends on the basis: over the guarantees’ whole life or to a horizon, with or without the investment income on the fund’s capital. Always say which.'),
    inApp: msg('Three bases, the scenario’s own named on every page: lifetime without investment income (the present value of fees covers the present value of net claims and costs of every cohort to its last claim; in a steady state of one-year loans, PD × (1 − recovery rate) + operating costs), lifetime with investment income, and capital at the horizon equal to capital put in. Found by bisection to 0.01 percentage point.'),
    related: ['guarantee-fee', 'fiscal-cost', 'economic-cost', 'risk-based-fee', 'self-sufficiency'],
  },
  {
    id: 'capital-call', term: msg('Capital call'), aka: [msg('top-up')],
    definition: msg('A rule by which the government tops the fund up when its capital falls below a set share of the guarantees outstanding, back to a target share. It keeps the guarantees credible and makes their cost visible in the budget.'),
    inApp: msg('Set under government support: trigger ratio, target ratio and the lag before payment. Calls count in the fiscal cost; Monte Carlo shows how often they happen and how large they are.'),
    related: ['capital-adequacy', 'fiscal-cost'],
  },
  {
    id: 'economic-cost', term: msg('Economic cost'),
    definition: msg('What the programme costs once the guarantees’ whole life is counted and the capital in the fund is charged for: the government could have used that money elsewhere, so investment income on it is not free money.'),
    inApp: msg('The present value, at the government’s borrowing rate, of claims, costs and premiums less recoveries and the fees borrowers and lenders pay, plus the return forgone on the capital net of the fund’s investment income. With the capital charged at the discount rate it equals the present value of the public money put in less what is left.'),
    related: ['fiscal-cost', 'subsidy-rate', 'lifetime-view'],
  },
  {
    id: 'business-cycle', term: msg('Business cycle'), aka: [msg('systematic factor')],
    definition: msg('The good and bad years of the economy that affect all firms at once. In a recession many firms default together, which is what can exhaust a fund.'),
    inApp: msg('Each simulated path draws one cycle value per year; years are linked by the cycle persistence (0 = independent years). A stress overlay shifts it down in chosen years.'),
    related: ['monte-carlo', 'stress-overlay', 'asset-correlation'],
  },
  {
    id: 'capital-adequacy', term: msg('Capital adequacy ratio'), aka: [msg('minimum capital ratio')],
    definition: msg('The fund’s capital as a share of the guarantees it has outstanding: the inverse of leverage. A regulator or the fund’s rules may set a minimum.'),
    inApp: msg('When the ratio falls below the minimum capital ratio the fund stops issuing new guarantees until it recovers.'),
    related: ['leverage'],
  },
  {
    id: 'claim-lag', term: msg('Claim lag'),
    definition: msg('The time between a borrower’s default and the fund paying the lender’s claim.'),
    related: ['lock-in', 'recovery-rate'],
  },
  {
    id: 'claims-ratio', term: msg('Claims ratio'),
    definition: msg('Claims paid in a period as a share of the guarantees outstanding: how much of its book the fund pays out.'),
    related: ['loss-ratio', 'pd'],
  },
  {
    id: 'collateral', term: msg('Collateral'), aka: [msg('security')],
    definition: msg('Assets a borrower pledges to the lender, which the lender can sell if the loan is not repaid. Small and young firms often have little of it.'),
    inApp: msg('Each stage has collateral levels: the share of applicants able to pledge each amount, as a percentage of the loan.'),
    related: ['collateral-gap', 'collateral-haircut'],
  },
  {
    id: 'collateral-gap', term: msg('Collateral gap'),
    definition: msg('Collateral the lender asks for that the firm cannot pledge. A gap means no loan, however good the project: this is the market failure a guarantee addresses.'),
    inApp: msg('Per unit of loan: max(0, required collateral × (1 − coverage) − (1 − haircut) × pledged collateral). The guarantee stands in for collateral on the covered part of the loan.'),
    related: ['collateral', 'coverage-ratio', 'additionality'],
  },
  {
    id: 'collateral-haircut', term: msg('Collateral haircut'),
    definition: msg('The share by which a lender discounts the market value of collateral, because selling it after a default takes time and fetches less.'),
    related: ['collateral'],
  },
  {
    id: 'common-random-numbers', term: msg('Common random numbers'),
    definition: msg('Using the same random business cycles for every variant compared, so that differences between variants come from the parameters and not from luck.'),
    inApp: msg('Every point of a tornado, sweep or search uses the same seed; every option of the budget comparison sees the same cycle on a path.'),
    related: ['monte-carlo', 'seed'],
  },
  {
    id: 'counter-guarantee', term: msg('Counter-guarantee'), aka: [msg('reinsurance')],
    definition: msg('A guarantee of the guarantor: a higher body (often the state or a development bank) pays part of the fund’s claims, for a premium. Japan Finance Corporation reinsures 70–90 % of Japan’s credit guarantee corporations’ claims.'),
    inApp: msg('A counter-guaranteed share of each claim is paid back to the fund; the fund pays a premium on the outstanding guarantees and passes that share of recoveries on.'),
    related: ['coverage-ratio', 'fiscal-cost'],
  },
  {
    id: 'coverage-ratio', term: msg('Coverage ratio'),
    definition: msg('The share of a lender’s loss on a guaranteed loan that the fund pays. At 80 % the lender still carries 20 % of every loss, which keeps it careful about whom it lends to.'),
    inApp: msg('Set for the whole scheme, and optionally per lifecycle stage. Most schemes cover 50–85 %; 100 % weakens the lender’s screening.'),
    related: ['moral-hazard', 'collateral-gap', 'portfolio-loss-cap'],
  },
  {
    id: 'depletion', term: msg('Probability of depletion'),
    definition: msg('The chance that the fund runs out of capital within the horizon. It is the measure of a fund’s risk that a minister will ask about.'),
    inApp: msg('The share of simulated business cycles (Monte Carlo paths) in which the fund’s capital falls below zero by the end of each year.'),
    related: ['monte-carlo', 'value-at-risk', 'leverage'],
  },
  {
    id: 'deadweight', term: msg('Deadweight'),
    definition: msg('Public money spent on loans that would have been made anyway: the guarantee changes nothing for them. Another name for the cost of substitution.'),
    related: ['substitution', 'additionality'],
  },
  {
    id: 'expected-case', term: msg('Expected case'),
    definition: msg('The projection with every firm defaulting at its average rate, year after year, with no good or bad years. It is a central estimate, not a forecast.'),
    inApp: msg('The figures of a results page before any Monte Carlo run; the Monte Carlo shows the spread around them.'),
    related: ['monte-carlo'],
  },
  {
    id: 'expected-shortfall', term: msg('Expected shortfall'),
    definition: msg('The average loss in the worst cases beyond the value at risk: “when it goes badly, how badly on average”.'),
    inApp: msg('The mean of cumulative net claims over the paths beyond the value at risk at the same confidence.'),
    related: ['value-at-risk'],
  },
  {
    id: 'lifetime-view', term: msg('Lifetime view'), aka: [msg('run-off')],
    definition: msg('The guarantees issued up to the horizon followed to their last claim and recovery, with no new lending. Claims come years after fees, so a cost that stops at the horizon understates it.'),
    inApp: msg('Every projection and Monte Carlo run computes it beside the horizon view; the ledger lists the run-off periods after the horizon.'),
    related: ['economic-cost', 'subsidy-rate'],
  },
  {
    id: 'risk-based-fee', term: msg('Risk-based fee'),
    definition: msg('A fee that prices the risk a guarantee brings: the expected loss, the operating costs, and the cost of holding capital against a bad year.'),
    inApp: msg('PD × LGD + operating costs + the one-year capital at the fund’s target confidence × (the rate at which the government values capital − the fund’s investment yield).'),
    related: ['break-even-fee', 'lgd'],
  },
  {
    id: 'subsidy-rate', term: msg('Subsidy rate'), aka: [msg('credit subsidy rate'), msg('cohort costing')],
    definition: msg('The cost of a year’s cohort of guarantees over its whole life, in present value, as a share of the amount guaranteed: claims less recoveries less fees. Credit-reform budgeting (the US Federal Credit Reform Act of 1990) costs guarantees this way; a zero subsidy rate is what “costs taxpayers nothing” means.'),
    inApp: msg('Shown for each cohort, discounted to the start of its year of origination at the government’s rate, net of any counter-guarantor’s share.'),
    related: ['economic-cost', 'lifetime-view', 'fiscal-cost'],
  },
  {
    id: 'fiscal-cost', term: msg('Fiscal cost'),
    definition: msg('What the scheme costs the public budget: the money put in less what is left of it at the end. In cash and undiscounted it flatters a guarantee fund; the lifetime economic cost does not.'),
    inApp: msg('For a guarantee fund: initial capital, injections, capital calls, state compensation and fee subsidies, minus capital at the horizon (or, in the lifetime view, at the end of the run-off). In the budget comparison: the budget minus what is left of it at the horizon, for every option alike.'),
    related: ['fiscal-cost-per-additional-loan', 'break-even-fee'],
  },
  {
    id: 'fiscal-cost-per-additional-loan', term: msg('Fiscal cost per additional loan'), aka: [msg('fiscal cost per unit of additional credit'), msg('fiscal cost per firm')],
    definition: msg('The fiscal cost divided by what it bought: per loan that would not have happened otherwise, per firm reached, or per unit of additional credit. The measure of value for money.'),
    related: ['fiscal-cost', 'additionality'],
  },
  {
    id: 'group-lending', term: msg('Group lending'), aka: [msg('joint liability')],
    definition: msg('Lending to small groups of borrowers who are each responsible for the others’ repayment. Peer pressure and peer screening lower defaults; microfinance institutions use it widely.'),
    related: ['microfinance-institution'],
  },
  {
    id: 'guarantee-fee', term: msg('Guarantee fee'), aka: [msg('annual fee'), msg('upfront fee'), msg('premium')],
    definition: msg('What the fund charges for its guarantee: an upfront fee on the guaranteed amount when the loan is made, and an annual fee on the amount outstanding. Paid by the borrower or the lender.'),
    inApp: msg('Fees may be tiered by loan size, like tax brackets. Real schemes charge about 0.4–3 % a year.'),
    related: ['break-even-fee', 'borrower-all-in-cost'],
  },
  {
    id: 'interest-subsidy', term: msg('Interest subsidy'),
    definition: msg('The budget pays part of the interest on bank loans, so borrowers pay less. It helps firms the bank already lends to; it does not help a firm that lacks collateral.'),
    related: ['additionality', 'collateral-gap'],
  },
  {
    id: 'leverage', term: msg('Leverage'), aka: [msg('multiplier'), msg('gearing')],
    definition: msg('Guarantees outstanding as a multiple of the fund’s capital. At 10× a fund with 100 million backs a billion of guarantees. Higher leverage reaches more firms with the same capital but makes depletion more likely.'),
    inApp: msg('New guarantees stop when they would take leverage above the leverage cap. Real funds run from about 5× to over 40×.'),
    related: ['capital-adequacy', 'depletion', 'rationing'],
  },
  {
    id: 'lgd', term: msg('Loss given default (LGD)'),
    definition: msg('The share of a defaulted loan that is lost after everything that can be recovered (collateral, collection).'),
    inApp: msg('Given per stage before collateral; the lender’s loss takes its collateral and the guarantee into account.'),
    related: ['pd', 'recovery-rate', 'collateral'],
  },
  {
    id: 'lifecycle-stage', term: msg('Lifecycle stage'),
    definition: msg('Where a firm is in its life: founding (start-ups), growth, maturity or transformation. Needs, risks and collateral differ by stage, and so does what a guarantee does for them.'),
    related: ['collateral-gap'],
  },
  {
    id: 'lock-in', term: msg('Claim lock-in'), aka: [msg('lock-in period')],
    definition: msg('A period after the guarantee starts during which no claim is paid. It discourages lenders from guaranteeing loans they expect to fail at once (India’s CGTMSE: 18 months).'),
    related: ['claim-lag', 'moral-hazard'],
  },
  {
    id: 'loss-ratio', term: msg('Loss ratio'),
    definition: msg('Net claims (claims paid less recoveries) as a share of fee income. Above 100 % the fees do not pay for the losses.'),
    related: ['claims-ratio', 'self-sufficiency'],
  },
  {
    id: 'microfinance-institution', term: msg('Microfinance institution (MFI)'),
    definition: msg('A lender of small, short loans to very small firms, often without collateral and often in groups. Its loans cost borrowers much more than bank loans (a median yield of about 26 %) because making small loans is expensive.'),
    related: ['portfolio-yield', 'operating-expense-ratio', 'group-lending'],
  },
  {
    id: 'monte-carlo', term: msg('Monte Carlo simulation'),
    definition: msg('Running the fund through many randomly drawn business cycles (paths) instead of one average one, to see the spread of outcomes: how bad a bad decade could be and how likely.'),
    inApp: msg('Defaults follow the one-factor model: each year draws a cycle value, firms default more in bad years, as much as their asset correlation says.'),
    related: ['depletion', 'business-cycle', 'seed', 'percentile'],
  },
  {
    id: 'moral-hazard', term: msg('Moral hazard'),
    definition: msg('When someone is protected from a loss they take less care to avoid it. A lender whose losses are fully covered screens and monitors borrowers less, and more loans fail. Japan cut coverage from 100 % to 80 % in 2007 for this reason.'),
    inApp: msg('The PD uplift at full coverage: how much defaults rise when coverage reaches 100 %, growing in proportion below that.'),
    related: ['coverage-ratio', 'lock-in'],
  },
  {
    id: 'operating-expense-ratio', term: msg('Operating expense ratio'),
    definition: msg('A lender’s running costs per year as a share of its loan portfolio. High for microfinance (often 15–25 %) because every loan is small.'),
    related: ['microfinance-institution', 'portfolio-yield'],
  },
  {
    id: 'pd', term: msg('Probability of default (PD)'),
    definition: msg('The chance that a borrower fails to repay within a year. Start-ups often have 5–10 %, mature firms 1–3 %.'),
    inApp: msg('Each stage’s applicants are split into risk grades with their own PD; in the Monte Carlo the PD rises in bad years.'),
    related: ['lgd', 'asset-correlation', 'moral-hazard'],
  },
  {
    id: 'percentile', term: msg('Percentile'),
    definition: msg('The value below which a given share of outcomes falls: the 5th percentile of capital is the amount only one path in twenty ends below; the median (50th) splits the paths in half.'),
    related: ['monte-carlo', 'value-at-risk'],
  },
  {
    id: 'portfolio-loss-cap', term: msg('Portfolio loss cap'), aka: [msg('first-loss cap'), msg('stop-loss')],
    definition: msg('A limit on the fund’s total claims for a group of loans (a vintage or a lender’s portfolio), as a share of what was lent. Beyond the cap the lender bears the losses. The UK’s Enterprise Finance Guarantee let each lender claim on defaults up to 13 % of its annual lending under the scheme; covering 75 % of each loss, the government paid out at most 9.75 % of that lending.'),
    inApp: msg('Caps each vintage’s claims on the fund at the given share of the principal lent in it; a cap on the lender’s claimable losses, such as EFG’s 13 %, is entered times the coverage (13 % × 75 % = 9.75 %).'),
    related: ['coverage-ratio', 'moral-hazard'],
  },
  {
    id: 'portfolio-yield', term: msg('Portfolio yield'),
    definition: msg('The interest and fees a lender earns per year on its loans, as a share of the loans outstanding. For a microfinance institution it is what borrowers pay.'),
    related: ['microfinance-institution', 'borrower-all-in-cost'],
  },
  {
    id: 'rationing', term: msg('Rationing'),
    definition: msg('Turning demand away for lack of capacity. A fund at its leverage cap cannot issue all the guarantees asked for; a revolving fund without cash cannot make all the loans.'),
    related: ['leverage'],
  },
  {
    id: 'recovery-rate', term: msg('Recovery rate'),
    definition: msg('The share of a claim the fund gets back later by collecting from the defaulted borrower, often years after paying the claim.'),
    related: ['lgd', 'claim-lag'],
  },
  {
    id: 'revolving-loan-fund', term: msg('Revolving loan fund'),
    definition: msg('A public fund that lends directly to firms and lends the repayments again. It can lend only the cash it has: money out on loan is not available until repaid.'),
    related: ['fiscal-cost'],
  },
  {
    id: 'risk-weight', term: msg('Risk weight'),
    definition: msg('The factor by which a bank’s regulator scales a loan to set the capital the bank must hold against it. A guarantee from a sovereign-backed fund can carry a low or zero weight, which makes guaranteed loans cheaper for the bank.'),
    related: ['coverage-ratio'],
  },
  {
    id: 'seed', term: msg('Seed'),
    definition: msg('The starting number of the random draws. The same seed gives exactly the same simulated cycles, so results can be reproduced and compared.'),
    related: ['common-random-numbers', 'monte-carlo'],
  },
  {
    id: 'self-sufficiency', term: msg('Self-sufficiency'),
    definition: msg('Whether the fund pays its own way: fee and investment income divided by net claims and operating costs. At 100 % or more the fund needs no new public money.'),
    related: ['break-even-fee', 'loss-ratio'],
  },
  {
    id: 'sensitivity', term: msg('Sensitivity analysis'), aka: [msg('tornado chart')],
    definition: msg('Moving one assumption at a time to see how much a result depends on it. A tornado chart shows the swing each assumption causes, largest at the top.'),
    related: ['sweep'],
  },
  {
    id: 'stress-overlay', term: msg('Stress overlay'), aka: [msg('recession scenario')],
    definition: msg('A deliberate bad spell added to the simulation: the business cycle is pushed down by a number of standard deviations in chosen years, to see whether the fund survives a severe recession.'),
    related: ['business-cycle', 'depletion'],
  },
  {
    id: 'substitution', term: msg('Substitution'),
    definition: msg('Guaranteed loans that the bank would have made anyway. The guarantee then shifts risk from the bank to the public without creating new credit.'),
    inApp: msg('Segments the lender serves without the guarantee but guarantees all the same, scaled by the take-up by loans made anyway.'),
    related: ['deadweight', 'additionality'],
  },
  {
    id: 'sweep', term: msg('Parameter sweep'), aka: [msg('heat map')],
    definition: msg('Computing a result over a grid of two parameters (for example coverage × fee) and showing it as a heat map, with the line where a limit (such as a 5 % probability of depletion) is crossed.'),
    related: ['sensitivity', 'depletion'],
  },
  {
    id: 'value-at-risk', term: msg('Value at risk (VaR)'),
    definition: msg('The loss that is not exceeded with a given confidence: a 99 % VaR of 40 million means that in 99 cases out of 100 the fund loses less than 40 million.'),
    inApp: msg('Computed on cumulative net claims over the horizon, across the Monte Carlo paths, at 95 %, 99 %, 99.5 % and 99.9 %.'),
    related: ['expected-shortfall', 'percentile'],
  },
  {
    id: 'vasicek', term: msg('One-factor (Vasicek) model'),
    definition: msg('The standard model of correlated defaults behind Basel capital rules: every firm’s health depends on one common factor (the economy) and its own luck; the asset correlation sets the mix.'),
    related: ['asset-correlation', 'business-cycle'],
  },
];

const BY_ID = new Map(GLOSSARY.map((e) => [e.id, e]));

export function glossaryEntry(id: string): GlossaryEntry | undefined {
  return BY_ID.get(id);
}

/** An entry in one language: its texts translated, its id and related ids as they are. */
export function localEntry(e: GlossaryEntry, t: Translate): GlossaryEntry {
  return {
    id: e.id,
    term: t(e.term),
    ...(e.aka ? { aka: e.aka.map((a) => t(a)) } : {}),
    definition: t(e.definition),
    ...(e.inApp ? { inApp: t(e.inApp) } : {}),
    ...(e.related ? { related: e.related } : {}),
  };
}

/**
 * The glossary in alphabetical order of terms: in English without a translation, else in the
 * given language (`locale` an Intl tag), sorted by the translated terms.
 */
export function glossarySorted(t?: Translate, locale = 'en'): GlossaryEntry[] {
  const entries = t ? GLOSSARY.map((e) => localEntry(e, t)) : [...GLOSSARY];
  return entries.sort((a, b) => a.term.localeCompare(b.term, locale));
}
