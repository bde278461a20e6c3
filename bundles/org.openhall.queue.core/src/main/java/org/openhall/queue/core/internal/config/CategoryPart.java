package org.openhall.queue.core.internal.config;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/** Configuration org.openhall.category-&lt;name&gt;: see {@link Ocds.Category}. */
@Component(configurationPid = "org.openhall.category", configurationPolicy = ConfigurationPolicy.REQUIRE, service = {}, immediate = true)
@Designate(ocd = Ocds.Category.class, factory = true)
public final class CategoryPart extends PartComponent {

    public CategoryPart() {
        super(ConfigParsers::category);
    }
}
