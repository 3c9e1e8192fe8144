namespace DataVault.Portal;

/// <summary>
/// Who the controller is (GDPR Art. 4(7)): the organisation that decides why and how the customers' data
/// is processed, and that the portal therefore names on every page, on its privacy notice (Art. 13(1)(a)-(b),
/// 13(2)(d)), in each export and in the record of processing (Art. 30(1)(a)). Bound from the
/// <c>Controller</c> section and checked at start by <see cref="ControllerOptionsValidator"/>: outside
/// Development <see cref="Name"/> and <see cref="ContactEmail"/> are required; in Development a clearly
/// fictional demo controller (<see cref="Demo"/>) stands in when no name is configured.
/// </summary>
public sealed class ControllerOptions
{
    public const string SectionName = "Controller";

    /// <summary>The controller's name as customers know it, e.g. "Example Retail S.L.". Required outside Development.</summary>
    public string? Name { get; set; }

    /// <summary>The controller's postal address; line breaks are kept. Default: none (not shown).</summary>
    public string? Address { get; set; }

    /// <summary>Where customers write about their data, e.g. <c>privacy@example.com</c>. Required outside Development.</summary>
    public string? ContactEmail { get; set; }

    /// <summary>
    /// The data protection officer's e-mail address (Art. 13(1)(b), Art. 37(7)). Default: none, for a controller
    /// that need not designate one (Art. 37(1)); the portal then names no officer.
    /// </summary>
    public string? DpoEmail { get; set; }

    /// <summary>The supervisory authority customers may complain to (Art. 13(2)(d), Art. 77), e.g. "Agencia Española de Protección de Datos". Default: none (the notice then points to the authority of the customer's country).</summary>
    public string? SupervisoryAuthorityName { get; set; }

    /// <summary>The supervisory authority's web address (absolute http or https). Default: none.</summary>
    public string? SupervisoryAuthorityUrl { get; set; }

    /// <summary>The controller's full privacy notice elsewhere (absolute http or https), linked from the portal's own notice. Default: none.</summary>
    public string? PrivacyNoticeUrl { get; set; }

    /// <summary>
    /// The time zone the portal shows times in, as an IANA id such as <c>Europe/Madrid</c> (Windows ids work on
    /// Windows). Default: <c>UTC</c>. Exports and receipts keep UTC whatever this says.
    /// </summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>
    /// A logo file on the host (PNG, JPEG, WebP or SVG, at most 256 KiB), served by the portal itself at
    /// <c>/assets/logo</c> so that no page loads anything from another origin. Default: none (the name alone).
    /// </summary>
    public string? LogoPath { get; set; }

    /// <summary>
    /// Organisations that decide the purposes and means of the processing together with the controller (GDPR
    /// Art. 26), named in the record of processing (Art. 30(1)(a)), e.g. <c>Controller:JointControllers:0:Name</c>
    /// and <c>...:0:Contact</c>. Default: none.
    /// </summary>
    public IList<ControllerParty> JointControllers { get; } = [];

    /// <summary>
    /// The controller's representative in the Union, for a controller established outside it (Art. 27), named in
    /// the record of processing (Art. 30(1)(a)): <c>Controller:Representative:Name</c> and <c>...:Contact</c>. Default: none.
    /// </summary>
    public ControllerParty? Representative { get; set; }

    /// <summary>
    /// The controller Development shows when none is configured: obviously fictional (the <c>.example</c>
    /// names of RFC 2606), so a screenshot of a development portal is never mistaken for a real one.
    /// </summary>
    public static ControllerOptions Demo => new()
    {
        Name = "Demo Shop (fictional controller)",
        Address = "1 Example Street\n00000 Exampletown (fictional)",
        ContactEmail = "privacy@demo-shop.example",
        DpoEmail = "dpo@demo-shop.example",
        SupervisoryAuthorityName = "Example Data Protection Authority (fictional)",
        SupervisoryAuthorityUrl = "https://authority.example/",
    };
}

/// <summary>Another organisation the record of processing names beside the controller: its name and how to reach it.</summary>
public sealed class ControllerParty
{
    /// <summary>The organisation's name. Required.</summary>
    public string? Name { get; set; }

    /// <summary>How to reach it: an e-mail address, a postal address or a web address, as one line. Required.</summary>
    public string? Contact { get; set; }
}
